"""Writing the relationship rows of an import, a batch per write transaction (see
`_write.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from neo4j import AsyncManagedTransaction

from graph._database import Row
from graph._history import NewEvent
from graph._writes import Written, lock
from graph.imports._events import OPERATION, added_edges, edge_added, edge_changed
from graph.imports._merge import merge_edge, new_edge_properties
from graph.imports._model import ImportSection, RowError
from graph.imports._plan import PlannedRelationship
from graph.imports._write import BatchOutcome, ImportWrite

__all__ = ["PreparedRelationships", "RelationshipBatchWriter"]

# The end CIs of the edges to create, locked in sorted order before looking for a current
# edge between them: a second import creating the same edge waits for the first to commit,
# then finds its edge. (Creating an edge locks both ends anyway; sorted, the locks cannot
# deadlock. Locking only the dependent ends was tried: imports at once then deadlock on the
# locks that creating the edges takes, in row order, and retry again and again.) An edge
# found by the unlocked read is only confirmed: that cannot duplicate it.
#
# The locked ends are collected in the order of `$lock` (ORDER BY its positions) and the rows
# and events name their CIs by position in it: one index seek per CI of the batch instead of
# one per end of every row and event (the seeks were a seventh of the batch's time).
_LOCK_ENDS = (
    """
CALL () {
  UNWIND range(0, size($lock) - 1) AS position
  OPTIONAL MATCH (c:CI {id: $lock[position]})
  """
    + lock("c")
    + """
  WITH position, c ORDER BY position
  RETURN collect([c]) AS ends
}
"""
)

READ_EDGES = """
UNWIND $rows AS row
MATCH (:CI {id: row.from})-[r:$(row.type)]->(:CI {id: row.to})
WHERE r.validTo IS NULL
RETURN collect([row.index, elementId(r),
    r {.source, .confidence, .redundancyGroup, .callCount, .errorCount, .observedBy}]) AS edges
"""

# New edges, unless a current edge of the type joins the two CIs already (another import
# created it since the plan): those rows are returned as `found`. Then the batch's history
# (`_events.added_edges`): one event listing the edges added (not the found rows), and per end
# CI a `HAS_EVENT` edge whose `entries` are its edges' positions in it. The properties are in
# the pattern (an absent redundancyGroup is null, which stores nothing): `SET r += map` after
# CREATE makes the planner buffer every row before setting them.
CREATE_EDGES = (
    _LOCK_ENDS
    + """
UNWIND $rows AS row
WITH ends, row, ends[row.fromAt][0] AS a, ends[row.toAt][0] AS b
WHERE a IS NOT NULL AND b IS NOT NULL
WITH ends, row, a, b, EXISTS { (a)-[r:$(row.type)]->(b) WHERE r.validTo IS NULL } AS found
CALL (row, a, b, found) {
  WITH row, a, b, found WHERE NOT found
  CREATE (a)-[:$(row.type) {source: row.source, confidence: row.confidence,
      redundancyGroup: row.redundancyGroup, createdAt: datetime.transaction(),
      validFrom: datetime.transaction(), lastConfirmedAt: datetime.transaction(),
      createdBy: $actor, callCount: row.callCount, errorCount: row.errorCount,
      observedBy: row.observedBy,
      observedAt: CASE WHEN row.observedBy IS NULL THEN null ELSE datetime.transaction() END
      }]->(b)
}
WITH ends, collect(CASE WHEN found THEN row.index END) AS found
CALL (ends, found) {
  WITH ends, found WHERE size(found) < size($event.summaries)
  CREATE (e:AuditEvent {id: $event.id, at: datetime.transaction(), actor: $actor,
      operation: $operation, summary: $event.summary, changes: '[]',
      entrySummaries: [i IN range(0, size($event.summaries) - 1) WHERE NOT i IN found
          | $event.summaries[i]],
      entryChanges: [i IN range(0, size($event.changes) - 1) WHERE NOT i IN found
          | $event.changes[i]]})
  WITH ends, found, e
  UNWIND $refs AS ref
  WITH e, ends[ref.at][0] AS c,
       [i IN ref.rows WHERE NOT i IN found | i - size([f IN found WHERE f < i])] AS entries
  WHERE c IS NOT NULL AND size(entries) > 0
  CREATE (c)-[:HAS_EVENT {entries: entries}]->(e)
  WITH collect(DISTINCT e) AS event, collect(c.id) AS cis
  FOREACH (e IN event | SET e.ciIds = cis)
  RETURN size(cis) AS events
}
RETURN found, events
"""
)

CONFIRM_EDGES = """
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.edge
SET r += row.changes, r.lastConfirmedAt = datetime.transaction(),
    r.observedAt = CASE WHEN row.observed THEN datetime.transaction() ELSE r.observedAt END
"""


@dataclass(frozen=True)
class PreparedRelationships:
    """A batch of relationship rows: the edges that cannot exist yet as query rows, and the
    rows whose edge is looked up in the transaction."""

    size: int
    creations: list[PlannedRelationship] = field(default_factory=list)
    creation_rows: list[Row] = field(default_factory=list)
    creation_entries: list[tuple[str, str]] = field(default_factory=list)
    """The history entry of each creation row (`_events.edge_added`)."""
    maybe_existing: list[PlannedRelationship] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    """Rows naming a CI row that was refused while writing."""


class RelationshipBatchWriter:
    """Prepares and writes the relationship batches of one import."""

    def __init__(self, context: ImportWrite) -> None:
        self._context = context
        self._db = context.db
        self._adopted: dict[str, str] = {}
        self._refused: dict[str, int] = {}

    def follow(self, adopted: Sequence[tuple[str, str]], refused: dict[str, int]) -> None:
        """What the CI batches found: the new CIs another import had created (planned id,
        id found) and the planned ids of the CI rows refused while writing (to their row)."""
        self._adopted = dict(adopted)
        self._refused = refused

    def prepare(self, batch: Sequence[PlannedRelationship]) -> PreparedRelationships:
        """The batch's edges to CIs this import created (they cannot exist yet, unless another
        import wrote them meanwhile) as creation rows; no I/O."""
        prepared = PreparedRelationships(len(batch))
        for planned in batch:
            refused = [
                (end, self._refused[ci_id])
                for end, ci_id in (("from", planned.from_id), ("to", planned.to_id))
                if ci_id in self._refused
            ]
            if refused:
                end, row = refused[0]
                prepared.errors.append(_refused_end(planned, end, row))
                continue
            if planned.from_id in self._adopted or planned.to_id in self._adopted:
                planned = replace(
                    planned,
                    from_id=self._adopted.get(planned.from_id, planned.from_id),
                    to_id=self._adopted.get(planned.to_id, planned.to_id),
                    new_end=False,
                )
            if planned.new_end:
                prepared.creations.append(planned)
                query_row, entry = self._creation_row(planned, len(prepared.creation_rows))
                prepared.creation_rows.append(query_row)
                prepared.creation_entries.append(entry)
            else:
                prepared.maybe_existing.append(planned)
        return prepared

    async def write(self, prepared: PreparedRelationships) -> BatchOutcome:
        """Creates the batch's new edges with their history and confirms the existing ones
        (never a second current edge) in one write transaction: at most four round trips
        (read, lock and create with the history of the additions, confirm, history of the
        changes) and the topology token, two more when another import created some of the
        edges first. `unchanged` counts the edges confirmed as they were."""
        actor = self._context.actor

        async def work(tx: AsyncManagedTransaction) -> Written[BatchOutcome]:
            current: dict[int, tuple[str, Row]] = {}
            if prepared.maybe_existing:
                current = await self._read(tx, prepared.maybe_existing)
            creations = list(prepared.creations)
            rows = list(prepared.creation_rows)
            entries = list(prepared.creation_entries)
            existing: list[tuple[PlannedRelationship, tuple[str, Row]]] = []
            for i, planned in enumerate(prepared.maybe_existing):
                found = current.get(i)
                if found is None:
                    creations.append(planned)
                    row, entry = self._creation_row(planned, len(rows))
                    rows.append(row)
                    entries.append(entry)
                else:
                    existing.append((planned, found))
            found_rows: set[int] = set()
            events_written = 0
            if rows:
                locked = sorted({p.from_id for p in creations} | {p.to_id for p in creations})
                position = {ci_id: at for at, ci_id in enumerate(locked)}
                for row in rows:
                    row["fromAt"], row["toAt"] = position[row["from"]], position[row["to"]]
                event, refs = added_edges(rows, entries, self._context.source)
                for ref in refs:
                    ref["at"] = position[ref["ci"]]
                [created] = await self._db.query(
                    tx,
                    CREATE_EDGES,
                    rows=rows,
                    event=event,
                    refs=refs,
                    lock=locked,
                    actor=actor,
                    operation=OPERATION,
                )
                found_rows = set(created["found"])
                events_written = created["events"]
            if found_rows:  # created by another import since the plan: confirm those
                racing = [creations[index] for index in sorted(found_rows)]
                edges = await self._read(tx, racing)
                existing += [(p, edges[i]) for i, p in enumerate(racing) if i in edges]
            confirmations, events = self._confirm(existing)
            if confirmations:
                await self._db.query(tx, CONFIRM_EDGES, rows=confirmations)
            made = [p for i, p in enumerate(creations) if i not in found_rows]
            changed = [p for (p, _), c in zip(existing, confirmations, strict=True) if c["changes"]]
            outcome = BatchOutcome(
                len(made),
                len(events),
                len(confirmations) - len(events),
                errors=tuple(prepared.errors),
            )
            ends = tuple(dict.fromkeys(c for p in made for c in (p.from_id, p.to_id)))
            # An edge changes its dependent's projected state only (the topology delta).
            return Written(
                outcome,
                events,
                events_written=events_written,
                written_ci_ids=ends,
                topology_ci_ids=tuple(dict.fromkeys(p.from_id for p in (*made, *changed))),
            )

        return await self._context.writes.write(OPERATION, actor, work, changes_topology=True)

    async def _read(
        self, tx: AsyncManagedTransaction, rows: list[PlannedRelationship]
    ) -> dict[int, tuple[str, Row]]:
        """The current edge of each row (by position in `rows`)."""
        keys = [
            {"index": i, "from": p.from_id, "to": p.to_id, "type": p.type.value}
            for i, p in enumerate(rows)
        ]
        [row] = await self._db.query(tx, READ_EDGES, rows=keys)
        current: dict[int, tuple[str, Row]] = {}
        for index, edge_id, properties in row["edges"]:
            current.setdefault(index, (edge_id, properties))
        return current

    def _confirm(
        self, existing: list[tuple[PlannedRelationship, tuple[str, Row]]]
    ) -> tuple[list[Row], list[NewEvent]]:
        confirmations: list[Row] = []
        events: list[NewEvent] = []
        source, precedence = self._context.source, self._context.precedence
        for planned, (edge_id, edge) in existing:
            changes = merge_edge(planned, edge, source, precedence)
            observed = planned.observation is not None
            confirmations.append({"edge": edge_id, "changes": changes, "observed": observed})
            if changes:
                events.append(edge_changed(planned, edge, changes, source))
        return confirmations, events

    def _creation_row(
        self, planned: PlannedRelationship, index: int
    ) -> tuple[Row, tuple[str, str]]:
        """The query row of an edge to create, `index` its position among the creations, and
        its history entry."""
        properties = new_edge_properties(planned, self._context.source)
        row = {
            "index": index,
            "from": planned.from_id,
            "to": planned.to_id,
            "type": planned.type.value,
            "source": properties["source"],
            "confidence": properties["confidence"],
            "redundancyGroup": properties.get("redundancyGroup"),
            "callCount": properties.get("callCount"),
            "errorCount": properties.get("errorCount"),
            "observedBy": properties.get("observedBy"),
        }
        return row, edge_added(planned, properties, self._context.source)


def _refused_end(planned: PlannedRelationship, end: str, row: int) -> RowError:
    message = (
        f"names cis[{row}] of this import, which was refused while writing (another import"
        " created a CI of another class with its externalId meanwhile)"
    )
    return RowError(
        ImportSection.RELATIONSHIPS, planned.index, None, None, end, message, "INVALID_VALUE"
    )
