"""Writing the CI rows of an import, a batch per write transaction (see `_write.py`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from neo4j import AsyncManagedTransaction

from graph._database import Row
from graph._history import NewEvent
from graph._writes import Written, lock
from graph.domain import EXTERNAL_ID_SEPARATOR
from graph.imports._capacity import write_capacity
from graph.imports._checks import class_changed
from graph.imports._events import OPERATION, ci_created, ci_updated
from graph.imports._identify import IDENTIFICATION_RULES, Candidate
from graph.imports._merge import merge_ci, new_ci_properties
from graph.imports._model import ImportSection, RowError
from graph.imports._plan import PlannedCI
from graph.imports._write import BatchOutcome, ImportWrite

__all__ = ["CIBatchWriter", "PreparedCIs"]

# One record for the batch, without timestamps: the driver's cost is per record and per
# temporal value, and nothing below compares timestamps.
READ_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN collect(c {.*, createdAt: null, updatedAt: null, lastConfirmedAt: null}) AS cis
"""

# New CIs with their creation events (the event's shape is graph/_history.py's RECORD_EVENTS),
# after each has claimed its identity keys, sorted, with MERGE on the unique key: a concurrent
# claim of the same key waits for this transaction's commit and then finds the key taken. A
# key that existed (it names another CI) is locked and read again: held by a CI that still has
# it, another import created the CI first, and the row is not created but returned as `taken`;
# a key whose CI lost it (changed, deleted) is taken over. CREATE for the CIs: the plan chose
# their ids, which nothing else writes.
CLAIM_AND_CREATE_CIS = (
    """
CALL () {
  UNWIND $claims AS claim
  MERGE (k:IdentityKey {key: claim.key})
  ON CREATE SET k.ci = claim.ci
  WITH k, claim WHERE k.ci <> claim.ci
  """
    + lock("k")
    + """
  WITH k, claim
  OPTIONAL MATCH (holder:CI {id: k.ci})
  WITH k, claim, holder, k.ci <> claim.ci AND holder IS NOT NULL AND CASE claim.storedAs
      WHEN 'externalIds' THEN claim.value IN holder.externalIds
      ELSE holder[claim.storedAs] = claim.value AND holder.class = claim.label END AS held
  SET k.ci = CASE WHEN held THEN k.ci ELSE claim.ci END
  RETURN collect(CASE WHEN held
      THEN [claim.row, claim.rule, holder.id, holder.class, holder.name] END) AS taken
}
WITH taken, [t IN taken | t[0]] AS takenRows
CALL (takenRows) {
  UNWIND $rows AS row
  WITH row WHERE NOT row.index IN takenRows
  CREATE (c:$(row.labels) {id: row.id})
  SET c += row.properties, c.createdAt = datetime.transaction(),
      c.updatedAt = datetime.transaction(), c.lastConfirmedAt = datetime.transaction(),
      c.version = 1, c.createdBy = $actor, c.updatedBy = $actor
  CREATE (c)-[:HAS_EVENT]->(:AuditEvent {id: row.event.id, at: datetime.transaction(),
      actor: $actor, operation: row.event.operation, summary: row.event.summary,
      changes: row.event.changes, ciIds: [row.id]})
}
RETURN taken
"""
)

# The keys a row claimed for the CI it did not create now name the CI it found instead.
ADOPT_KEYS = """
UNWIND $rows AS row
MATCH (k:IdentityKey) WHERE k.key IN row.keys AND k.ci = row.planned
SET k.ci = row.ci
"""

# Every reported CI is confirmed (`lastConfirmedAt`, read by the CMDB health checks); the
# ones with changes are updated too. The first SET takes the node's write lock, so the version
# read by the second one is the latest committed: concurrent updates never reuse a version.
CONFIRM_AND_UPDATE_CIS = """
UNWIND $rows AS row
MATCH (c:CI {id: row.id})
SET c.lastConfirmedAt = datetime.transaction()
WITH c, row WHERE size(keys(row.changes)) > 0
SET c += row.changes, c.version = c.version + 1, c.updatedAt = datetime.transaction(),
    c.updatedBy = $actor
"""

_RULE_ORDER = {rule.name: order for order, rule in enumerate(IDENTIFICATION_RULES)}


@dataclass(frozen=True)
class PreparedCIs:
    """A batch of CI rows: the creations as query rows with their identity claims (sorted by
    key), and the rows of existing CIs."""

    size: int
    creations: list[PlannedCI] = field(default_factory=list)
    creation_rows: list[Row] = field(default_factory=list)
    claims: list[Row] = field(default_factory=list)
    existing: list[PlannedCI] = field(default_factory=list)


class CIBatchWriter:
    """Prepares and writes the CI batches of one import."""

    def __init__(self, context: ImportWrite) -> None:
        self._context = context
        self._db = context.db

    def prepare(self, batch: Sequence[PlannedCI]) -> PreparedCIs:
        """The batch's new CIs as creation rows with their claims; no I/O."""
        prepared = PreparedCIs(len(batch))
        for planned in batch:
            if planned.exists:
                prepared.existing.append(planned)
            else:
                prepared.creations.append(planned)
                prepared.creation_rows.append(self._creation_row(planned))
                prepared.claims.extend(_claims(planned))
        prepared.claims.sort(key=_claim_key)
        return prepared

    async def write(self, prepared: PreparedCIs) -> BatchOutcome:
        """Creates the batch's new CIs, and confirms (`lastConfirmedAt`) and updates the
        existing ones, in one write transaction: at most five round trips (read, create,
        confirm and update, history of the updates, topology token) whatever the batch size,
        two more when another import created some of the CIs first."""
        actor, source, at = self._context.actor, self._context.source, self._context.at

        async def work(tx: AsyncManagedTransaction) -> Written[BatchOutcome]:
            existing = list(prepared.existing)
            stored = await self._read(tx, existing)
            creations = list(prepared.creations)
            rows = list(prepared.creation_rows)
            claims = prepared.claims
            deleted = [p for p in existing if p.ci_id not in stored]
            for planned in deleted:  # deleted since the plan found it: create it again
                existing.remove(planned)
                creations.append(planned)
                rows.append(self._creation_row(planned))
            if deleted:
                claims = sorted(claims + [c for p in deleted for c in _claims(p)], key=_claim_key)
            taken = await self._create(tx, claims, rows)
            adopted, errors = self._adopt(creations, taken)
            if adopted:
                await self._db.query(
                    tx, ADOPT_KEYS, rows=[_adopted_keys(new, found) for new, found in adopted]
                )
                existing += [found for _, found in adopted]
                stored |= await self._read(tx, [found for _, found in adopted])
            confirmations: list[Row] = []
            events: list[NewEvent] = []
            for planned in existing:
                before = stored.get(planned.ci_id)
                if before is None:  # the CI found instead vanished meanwhile: nothing to do
                    continue
                changes = merge_ci(planned, before, self._context.source, self._context.precedence)
                confirmations.append({"id": planned.ci_id, "changes": changes})
                if changes:
                    events.append(ci_updated(planned, before, changes, self._context.source))
            if confirmations:
                await self._db.query(tx, CONFIRM_AND_UPDATE_CIS, rows=confirmations, actor=actor)
            written = [p for p in creations if p.index not in taken]
            written += [p for p in existing if p.ci_id in stored]
            await write_capacity(self._db, tx, written, source, at)
            created = len(creations) - len(taken)
            made = tuple(p.ci_id for p in creations if p.index not in taken)
            outcome = BatchOutcome(
                created,
                len(events),
                len(confirmations) - len(events),
                adopted=tuple((new.ci_id, found.ci_id) for new, found in adopted),
                errors=tuple(errors),
            )
            # The topology delta names the CIs of the events and the creations (`Written`).
            return Written(outcome, events, events_written=created, written_ci_ids=made)

        return await self._context.writes.write(OPERATION, actor, work, changes_topology=True)

    async def _read(self, tx: AsyncManagedTransaction, rows: list[PlannedCI]) -> dict[str, Row]:
        if not rows:
            return {}
        ids = sorted({planned.ci_id for planned in rows})
        [row] = await self._db.query(tx, READ_CIS, ids=ids)
        return {ci["id"]: ci for ci in row["cis"]}

    async def _create(
        self, tx: AsyncManagedTransaction, claims: list[Row], rows: list[Row]
    ) -> dict[int, list[list[str]]]:
        """Claims the keys and creates the CIs whose keys are free; returns, per row index,
        the keys other CIs hold: [row, rule, id, class, name] each."""
        if not rows:
            return {}
        [row] = await self._db.query(
            tx, CLAIM_AND_CREATE_CIS, claims=claims, rows=rows, actor=self._context.actor
        )
        taken: dict[int, list[list[str]]] = defaultdict(list)
        for entry in row["taken"]:
            taken[entry[0]].append(entry)
        return taken

    def _adopt(
        self, creations: list[PlannedCI], taken: dict[int, list[list[str]]]
    ) -> tuple[list[tuple[PlannedCI, PlannedCI]], list[RowError]]:
        """The rows another import's CI took over: each becomes a row about that CI, found by
        the first rule whose key it holds, unless that CI is of another class."""
        adopted: list[tuple[PlannedCI, PlannedCI]] = []
        errors: list[RowError] = []
        for planned in creations:
            if planned.index not in taken:
                continue
            first = min(taken[planned.index], key=lambda entry: _RULE_ORDER[entry[1]])
            _, _, ci_id, label, name = first
            if label != planned.label:
                external_id = _own_external_id(planned)
                problem = class_changed(external_id, planned.label, Candidate(ci_id, label, name))
                errors.append(
                    RowError(
                        ImportSection.CIS,
                        planned.index,
                        None,
                        external_id,
                        problem.field,
                        problem.message,
                        problem.code,
                    )
                )
                continue
            adopted.append((planned, replace(planned, ci_id=ci_id, exists=True)))
        return adopted, errors

    def _creation_row(self, planned: PlannedCI) -> Row:
        return {
            "index": planned.index,
            "id": planned.ci_id,
            "labels": ["CI", planned.label],
            "properties": new_ci_properties(planned, self._context.source),
            "event": ci_created(planned, self._context.source),
        }


def _claims(planned: PlannedCI) -> list[Row]:
    return [
        {
            "key": key.key,
            "ci": planned.ci_id,
            "rule": key.rule,
            "storedAs": key.stored_as,
            "value": key.value,
            "label": planned.label,
            "row": planned.index,
        }
        for key in planned.keys
    ]


def _claim_key(claim: Row) -> str:
    return str(claim["key"])


def _own_external_id(planned: PlannedCI) -> str | None:
    own = [key for key in planned.keys if key.rule == "externalId"]
    return own[0].value.split(EXTERNAL_ID_SEPARATOR, 1)[1] if own else None


def _adopted_keys(new: PlannedCI, found: PlannedCI) -> Row:
    return {"keys": [key.key for key in new.keys], "planned": new.ci_id, "ci": found.ci_id}
