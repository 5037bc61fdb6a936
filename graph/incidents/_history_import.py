"""The import of incident history from the tool being replaced (docs/incidents-import.md).

A request is checked whole first (`check_history`, then every affected CI resolved): one bad
row and nothing is written, every bad row named with its index and reason. Then the new rows,
in `openedAt` order, are written in batches, each one transaction of the one write of new
incidents that `createIncident` uses (`write_new_incidents`): numbers in `openedAt` order,
impact computed over the graph as it stands, SLA clocks from the recorded times.

Idempotent per source and external id: a row whose incident exists (its `importKey`, unique
under a constraint, migration V0009) is left as it is and counted `unchanged`. Each batch first
takes the lock of the incident number sequence, then reads which keys exist: two imports of
the same history at once write each incident once (the second waits, then finds the first's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._writes import Writes, Written, lock
from graph.domain import EXTERNAL_ID_SEPARATOR, INCIDENT_NUMBERS, CIStatus
from graph.errors import FieldError, InvalidInput
from graph.impact import Analyst
from graph.incidents._history_rows import HistoricalIncident, HistoryRequest, check_history
from graph.incidents._impact import computed_impact
from graph.incidents._prepare import ComputedImpact, NewIncident, PreparedIncident, prepare_incident
from graph.incidents._sla import BusinessCalendar, with_breach
from graph.incidents._write import FIRST_NUMBER, write_new_incidents

__all__ = ["DEFAULT_HISTORY_BATCH", "HistoryImportResult", "find_cis", "import_history"]

DEFAULT_HISTORY_BATCH = 2_000
"""Incidents per write transaction."""

CIS_BY_ID = """
UNWIND $refs AS ref
MATCH (c:CI {id: ref})
RETURN ref, c.id AS id, c.status AS status
"""

# No index serves "this key is in the list", so this reads every CI once, for all the
# references of the request together.
CIS_BY_EXTERNAL_ID = """
MATCH (c:CI) WHERE any(entry IN c.externalIds WHERE entry IN $keys)
UNWIND [entry IN c.externalIds WHERE entry IN $keys] AS key
RETURN key, c.id AS id, c.status AS status
"""

# The incident sequence's lock serialises every writer of new incidents: taken first, so that
# the keys read after it include those of any import that committed before.
LOCK_SEQUENCE: LiteralString = (
    """
MERGE (s:Sequence {name: $name})
ON CREATE SET s.last = $start - 1
"""
    + lock("s")
    + """
RETURN s.last AS last
"""
)

EXISTING_KEYS = """
UNWIND $keys AS key
MATCH (i:Incident {importKey: key})
RETURN key, i.number AS number
"""


@dataclass(frozen=True)
class HistoryImportResult:
    created: int
    unchanged: int
    numbers: Mapping[str, str]
    """The number of each incident of the request, by external id (created or found)."""


def import_key(source: str, external_id: str) -> str:
    return source + EXTERNAL_ID_SEPARATOR + external_id


async def find_cis(db: Database, refs: Sequence[str], source: str) -> dict[str, tuple[str, str]]:
    """(CI id, status) per reference that names a CI: by its id, or by the external id it has
    for `source`. Two round trips at most (the second reads every CI once)."""
    unique = sorted(set(refs))
    found: dict[str, tuple[str, str]] = {
        row["ref"]: (row["id"], row["status"])
        for row in await db.read_rows("importIncidents.cis", CIS_BY_ID, refs=unique)
    }
    missing = [ref for ref in unique if ref not in found]
    if missing:
        keys = {source + EXTERNAL_ID_SEPARATOR + ref: ref for ref in missing}
        rows = await db.read_rows(
            "importIncidents.externalIds", CIS_BY_EXTERNAL_ID, keys=list(keys)
        )
        for record in rows:
            found.setdefault(keys[record["key"]], (record["id"], record["status"]))
    return found


async def _resolve_cis(db: Database, request: HistoryRequest, ci_source: str) -> dict[str, str]:
    """CI id per reference of the request (a CI id, or the external id a CI has for
    `ci_source`); raises `InvalidInput` naming each row's unknown or retired reference. Two
    round trips."""
    found = await find_cis(
        db, [ref for row in request.incidents for ref in row.affected], ci_source
    )
    errors: list[FieldError] = []
    for index, row in enumerate(request.incidents):
        for position, ref in enumerate(row.affected):
            where = f"incidents[{index}].affectedCiIds[{position}]"
            if ref not in found:
                errors.append(
                    FieldError(
                        where,
                        f"no CI has the id {ref!r} nor the external id {ref!r} for the source "
                        f"{ci_source!r}",
                        "NOT_FOUND",
                    )
                )
            elif found[ref][1] == CIStatus.RETIRED.name:
                errors.append(FieldError(where, f"the CI {ref!r} is retired", "INVALID_VALUE"))
    if errors:
        raise InvalidInput(errors)
    return {ref: ci_id for ref, (ci_id, _) in found.items()}


def _new(row: HistoricalIncident, source: str, affected: Sequence[str]) -> NewIncident:
    return NewIncident(
        title=row.title,
        category=row.category,
        impact=row.impact,
        urgency=row.urgency,
        affected_ci_ids=affected,
        description=row.description,
        assignment_group=row.assignment_group,
        assignee=row.assignee,
        causes_outage=row.causes_outage,
        workaround=row.workaround,
        resolution=row.resolution,
        source=source,
        external_id=row.external_id,
    )


async def _prepare(
    request: HistoryRequest,
    ci_ids: Mapping[str, str],
    analyst: Analyst,
    calendar: BusinessCalendar,
    actor: str,
    now: datetime,
) -> list[PreparedIncident]:
    impacts: dict[tuple[Any, ...], tuple[ComputedImpact, ...]] = {}
    prepared: list[PreparedIncident] = []
    errors: list[FieldError] = []
    for index, row in enumerate(request.incidents):
        affected = tuple(dict.fromkeys(ci_ids[ref] for ref in row.affected))
        key = (affected, row.category, row.causes_outage)
        if key not in impacts:
            impacts[key] = await computed_impact(analyst, affected, row.category, row.causes_outage)
        try:
            incident = prepare_incident(
                _new(row, request.source, affected),
                opened_at=row.opened_at,
                transitions=row.transitions,
                computed=impacts[key],
                actor=actor,
            )
        except InvalidInput as error:
            where = f"incidents[{index}]"
            errors += [FieldError(f"{where}.{e.field}", e.message, e.code) for e in error.errors]
            continue
        incident = replace(incident, created_by=row.opened_by or actor)
        prepared.append(with_breach(incident, now, calendar))
    if errors:
        raise InvalidInput(errors)
    return prepared


async def import_history(
    db: Database,
    writes: Writes,
    analyst: Analyst,
    calendar: BusinessCalendar,
    request: HistoryRequest,
    *,
    actor: str,
    now: datetime,
    ci_source: str | None = None,
    batch_size: int = DEFAULT_HISTORY_BATCH,
) -> HistoryImportResult:
    """Checks `request` whole (raises `InvalidInput` naming every bad row; nothing written),
    then writes its new incidents in `openedAt` order, `batch_size` per transaction. Affected
    CIs are CI ids or the external ids the CIs have for `ci_source` (default: the request's
    source). Round trips: two to resolve the CIs, one per distinct set of affected CIs for its
    impact (in process), five per batch."""
    check_history(request, now)
    ci_ids = await _resolve_cis(db, request, ci_source or request.source)
    prepared = await _prepare(request, ci_ids, analyst, calendar, actor, now)
    order = sorted(range(len(prepared)), key=lambda i: (prepared[i].opened_at, i))
    numbers: dict[str, str] = {}
    created = 0
    for start in range(0, len(order), batch_size):
        batch = [prepared[i] for i in order[start : start + batch_size]]
        made, found = await _write_batch(db, writes, batch, request.source, actor, now, calendar)
        created += len(made)
        numbers.update(found)
        numbers.update(made)
    return HistoryImportResult(created, len(prepared) - created, numbers)


async def _write_batch(
    db: Database,
    writes: Writes,
    batch: Sequence[PreparedIncident],
    source: str,
    actor: str,
    now: datetime,
    calendar: BusinessCalendar,
) -> tuple[dict[str, str], dict[str, str]]:
    """Writes the incidents of `batch` that do not exist yet; returns (created, existing) as
    number by external id."""

    async def work(
        tx: AsyncManagedTransaction,
    ) -> Written[tuple[dict[str, str], dict[str, str]]]:
        await db.query(tx, LOCK_SEQUENCE, name=INCIDENT_NUMBERS, start=FIRST_NUMBER)
        keys = {import_key(source, p.new.external_id or ""): p for p in batch}
        rows = await db.query(tx, EXISTING_KEYS, keys=list(keys))
        existing = {keys[row["key"]].new.external_id or "": row["number"] for row in rows}
        new = [p for p in batch if (p.new.external_id or "") not in existing]
        incidents, events = await write_new_incidents(
            db, tx, new, "importIncidents", now=now, calendar=calendar
        )
        made = {p.new.external_id or "": i.number for p, i in zip(new, incidents, strict=True)}
        return Written((made, existing), events)

    return await writes.write("importIncidents", actor, work, changes_topology=False)
