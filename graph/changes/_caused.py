"""Incidents caused by changes (docs/concepts.md, "Change enablement"): linking an incident to
the implemented change that caused it, `(i:Incident)-[:CAUSED_BY]->(c:Change)`, unlinking it,
and reading the links both ways. An incident has at most one causing change. The audit event
of a link or an unlink hangs off the incident and the change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import NewEvent
from graph._writes import Writes, Written, lock
from graph.changes._cypher import CHANGE_PROJECTION
from graph.changes._model import Change, change_from_row
from graph.domain import ChangeState, FieldChange, IncidentState, Priority, new_event_id
from graph.errors import Conflict, FieldError, InvalidInput, NotFound

__all__ = [
    "IMPLEMENTED_STATES",
    "MAX_CAUSE_NOTE",
    "CauseLink",
    "CausedIncident",
    "CausedIncidents",
]

IMPLEMENTED_STATES = (ChangeState.IMPLEMENT, ChangeState.REVIEW, ChangeState.CLOSED)
"""The states of a change that has been implemented: only such a change can cause incidents."""

MAX_CAUSE_NOTE = 2000
"""The longest note a link takes."""

# The incident is locked before the change, in every write here, so two writers never wait
# for each other in opposite orders; the incident's causing change is read after its lock, so
# of two links of one incident at once the second sees the first's edge.
LOCK_LINK: LiteralString = (
    """
OPTIONAL MATCH (i:Incident {number: $incidentNumber})
"""
    + lock("i")
    + """
WITH i
OPTIONAL MATCH (c:Change {number: $changeNumber})
"""
    + lock("c")
    + """
RETURN i.id AS incidentId, i.openedAt AS openedAt, c.id AS changeId, c.state AS state,
    c.actualStart AS actualStart,
    COLLECT { MATCH (i)-[:CAUSED_BY]->(o:Change) RETURN o.number }[0] AS causedBy
"""
)

LINK: LiteralString = """
MATCH (i:Incident {id: $incidentId}), (c:Change {id: $changeId})
CREATE (i)-[:CAUSED_BY {at: datetime($now), by: $actor, note: $note}]->(c)
"""

UNLINK: LiteralString = """
MATCH (:Incident {id: $incidentId})-[r:CAUSED_BY]->(:Change {id: $changeId})
DELETE r
"""

CAUSING_CHANGES: LiteralString = (
    """
UNWIND $incidentIds AS incidentId
MATCH (:Incident {id: incidentId})-[:CAUSED_BY]->(c:Change)
RETURN incidentId, """
    + CHANGE_PROJECTION
    + " AS change"
)

CAUSED_INCIDENTS: LiteralString = """
UNWIND $changeIds AS changeId
MATCH (i:Incident)-[r:CAUSED_BY]->(:Change {id: changeId})
RETURN changeId, i {.id, .number, .title, .priority, .state, .openedAt} AS incident,
    r {.at, .by, .note} AS link
ORDER BY i.number
"""


@dataclass(frozen=True)
class CauseLink:
    """What a link or an unlink wrote: the incident and the change, by id and number."""

    incident_id: str
    incident_number: str
    change_id: str
    change_number: str


@dataclass(frozen=True)
class CausedIncident:
    """An incident linked as caused by a change, and the link."""

    incident_id: str
    number: str
    title: str
    priority: Priority
    state: IncidentState
    opened_at: datetime
    linked_at: datetime
    linked_by: str
    note: str | None


def _caused(row: dict[str, Any]) -> CausedIncident:
    i, link = row["incident"], row["link"]
    return CausedIncident(
        incident_id=i["id"],
        number=i["number"],
        title=i["title"],
        priority=Priority(i["priority"]),
        state=IncidentState(i["state"]),
        opened_at=i["openedAt"].to_native(),
        linked_at=link["at"].to_native(),
        linked_by=link["by"],
        note=link.get("note"),
    )


@dataclass(frozen=True)
class _Locked:
    incident_id: str
    change_id: str
    caused_by: str | None


def _check_note(note: str | None) -> str | None:
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_CAUSE_NOTE:
        message = f"at most {MAX_CAUSE_NOTE} characters"
        raise InvalidInput([FieldError("note", message, "TOO_LONG")])
    return text


def _native(value: Any) -> datetime | None:
    return None if value is None else value.to_native()


async def _lock(
    db: Database, tx: AsyncManagedTransaction, incident: str, change: str, *, judge: bool
) -> _Locked:
    [row] = await db.query(tx, LOCK_LINK, incidentNumber=incident, changeNumber=change)
    missing = []
    if row["incidentId"] is None:
        missing.append(("incidentNumber", f"no incident has the number {incident}"))
    if row["changeId"] is None:
        missing.append(("changeNumber", f"no change has the number {change}"))
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    if judge:
        _judge(incident, change, row)
    return _Locked(row["incidentId"], row["changeId"], row["causedBy"])


def _judge(incident: str, change: str, row: dict[str, Any]) -> None:
    state = ChangeState(row["state"])
    started, opened = _native(row["actualStart"]), _native(row["openedAt"])
    if state not in IMPLEMENTED_STATES or started is None:
        raise Conflict(
            f"{change} is {state.value}: only a change that has been implemented (IMPLEMENT, "
            "REVIEW or CLOSED) can cause an incident",
            field="changeNumber",
        )
    if opened is not None and opened < started:
        raise Conflict(
            f"{incident} opened at {opened.isoformat()}, before {change} was implemented at "
            f"{started.isoformat()}: the change cannot have caused it",
            field="incidentNumber",
        )
    other = row["causedBy"]
    if other is not None and other != change:
        raise Conflict(
            f"{incident} is already linked as caused by {other}: an incident has one causing "
            f"change; unlink it from {other} first",
            field="incidentNumber",
        )


def _event(
    operation: str, summary: str, locked: _Locked, before: Any, after: Any, now: datetime
) -> NewEvent:
    return NewEvent(
        new_event_id(),
        operation,
        summary,
        (),
        (FieldChange("causingChange", before, after),),
        record_ids=(locked.incident_id, locked.change_id),
        at=now,
    )


class CausedIncidents:
    """The caused-incident methods of `ChangeRepository`."""

    _db: Database
    _clock: Clock
    _writes: Writes

    async def link_incident(
        self, incident_number: str, change_number: str, note: str | None, actor: str
    ) -> CauseLink:
        """Links the incident as caused by the change, both locked (incident first) before
        they are judged. Raises `NotFound` (incidentNumber, changeNumber), `Conflict` (the
        change not implemented, the incident opened before the change was implemented, or
        already caused by another change, named), `InvalidInput` (note TOO_LONG); nothing is
        written then. Linking it again to the same change writes nothing. One write
        transaction, two or three round trips."""
        text = _check_note(note)
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[CauseLink]:
            locked = await _lock(self._db, tx, incident_number, change_number, judge=True)
            link = CauseLink(locked.incident_id, incident_number, locked.change_id, change_number)
            if locked.caused_by == change_number:
                return Written(link)
            await self._db.query(
                tx,
                LINK,
                incidentId=locked.incident_id,
                changeId=locked.change_id,
                now=now.isoformat(),
                actor=actor,
                note=text,
            )
            summary = f"{incident_number} caused by {change_number}" + (f": {text}" if text else "")
            event = _event("linkIncidentToChange", summary, locked, None, change_number, now)
            return Written(link, [event])

        return await self._writes.write("linkIncidentToChange", actor, work, changes_topology=False)

    async def unlink_incident(
        self, incident_number: str, change_number: str, actor: str
    ) -> CauseLink:
        """Takes back the link of the incident to the change that caused it. Raises `NotFound`
        for an unknown incident or change, or an incident not linked to that change (field
        incidentNumber); nothing is written then. One write transaction, three round trips."""
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[CauseLink]:
            locked = await _lock(self._db, tx, incident_number, change_number, judge=False)
            if locked.caused_by != change_number:
                raise NotFound(
                    f"{incident_number} is not linked as caused by {change_number}",
                    field="incidentNumber",
                )
            await self._db.query(
                tx, UNLINK, incidentId=locked.incident_id, changeId=locked.change_id
            )
            summary = f"{incident_number} no longer caused by {change_number}"
            event = _event("unlinkIncidentFromChange", summary, locked, change_number, None, now)
            link = CauseLink(locked.incident_id, incident_number, locked.change_id, change_number)
            return Written(link, [event])

        return await self._writes.write(
            "unlinkIncidentFromChange", actor, work, changes_topology=False
        )

    async def causing_changes(self, incident_ids: Sequence[str]) -> list[Change | None]:
        """The change that caused each incident, in order (None where none is linked). One
        round trip."""
        rows = await self._db.read_rows(
            "causingChanges", CAUSING_CHANGES, incidentIds=list(incident_ids)
        )
        found = {row["incidentId"]: change_from_row(row["change"]) for row in rows}
        return [found.get(i) for i in incident_ids]

    async def caused_incidents(self, change_ids: Sequence[str]) -> list[tuple[CausedIncident, ...]]:
        """The incidents each change caused, with their links, in order, each in incident
        number order. One round trip."""
        rows = await self._db.read_rows(
            "causedIncidents", CAUSED_INCIDENTS, changeIds=list(change_ids)
        )
        found: dict[str, list[CausedIncident]] = {}
        for row in rows:
            found.setdefault(row["changeId"], []).append(_caused(row))
        return [tuple(found.get(c, ())) for c in change_ids]
