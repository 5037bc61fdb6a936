"""Writing a planned import: one write transaction per batch of rows, with `UNWIND`.

A batch is prepared first, outside its transaction (`prepare_cis`, `prepare_relationships`):
the rows that can only be creations (new CIs, edges to a CI this import creates) become query
parameters with their history events, ready to send. `ImportRepository` prepares the next batch
while the database writes the current one. The transaction then reads the current state of the
other rows, decides per attribute with the source precedence what changes (`_merge.py`)
and writes creations and changes with one query each, their history events included.

Transaction functions are idempotent: the ids of new CIs were chosen by the plan, and the driver
calls a function again only after the attempt was rolled back (see `graph/_history.py`), so a
retry writes onto the graph the first attempt saw and recomputes the same decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from neo4j import AsyncManagedTransaction

from graph._database import Database, Row
from graph._history import NewEvent
from graph._writes import Writes, Written
from graph.imports._events import OPERATION, ci_created, ci_updated, edge_added, edge_changed
from graph.imports._merge import (
    merge_ci,
    merge_edge,
    merge_external_ids,
    new_ci_properties,
    new_edge_properties,
)
from graph.imports._plan import PlannedCI, PlannedRelationship
from graph.imports._precedence import SourcePrecedence

__all__ = [
    "BatchOutcome",
    "BatchWriter",
    "PreparedCIs",
    "PreparedRelationships",
    "merge_ci",
    "merge_edge",
    "merge_external_ids",
]

# One record for the batch, without timestamps: the driver's cost is per record and per
# temporal value, and nothing below compares timestamps.
READ_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN collect(c {.*, createdAt: null, updatedAt: null, lastConfirmedAt: null}) AS cis
"""

# New CIs with their creation events (the event's shape is graph/_history.py's RECORD_EVENTS).
# CREATE: the plan chose the ids, which nothing else writes (see the module's docstring).
CREATE_CIS = """
UNWIND $rows AS row
CREATE (c:$(row.labels) {id: row.id})
SET c += row.properties, c.createdAt = datetime.transaction(),
    c.updatedAt = datetime.transaction(), c.lastConfirmedAt = datetime.transaction(),
    c.version = 1, c.createdBy = $actor, c.updatedBy = $actor
CREATE (c)-[:HAS_EVENT]->(:AuditEvent {id: row.event.id, at: datetime.transaction(),
    actor: $actor, operation: row.event.operation, summary: row.event.summary,
    changes: row.event.changes, ciIds: [row.id]})
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

READ_EDGES = """
UNWIND $rows AS row
MATCH (:CI {id: row.from})-[r:$(row.type)]->(:CI {id: row.to})
WHERE r.validTo IS NULL
RETURN collect([row.index, elementId(r), r {.source, .confidence, .redundancyGroup}]) AS edges
"""

# New edges with their events, recorded on both ends. The properties are in the pattern (an
# absent redundancyGroup is null, which stores nothing): `SET r += map` after CREATE makes the
# planner buffer every row (an Eager operator) before setting them.
CREATE_EDGES = """
UNWIND $rows AS row
MATCH (a:CI {id: row.from}), (b:CI {id: row.to})
CREATE (a)-[:$(row.type) {source: row.source, confidence: row.confidence,
    redundancyGroup: row.redundancyGroup, createdAt: datetime.transaction(),
    validFrom: datetime.transaction(), lastConfirmedAt: datetime.transaction(),
    createdBy: $actor}]->(b)
CREATE (a)-[:HAS_EVENT]->(:AuditEvent {id: row.event.id, at: datetime.transaction(),
    actor: $actor, operation: row.event.operation, summary: row.event.summary,
    changes: row.event.changes, ciIds: [row.from, row.to]})<-[:HAS_EVENT]-(b)
"""

CONFIRM_EDGES = """
UNWIND $rows AS row
MATCH ()-[r]->() WHERE elementId(r) = row.edge
SET r += row.changes, r.lastConfirmedAt = datetime.transaction()
"""


@dataclass(frozen=True)
class BatchOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class PreparedCIs:
    """A batch of CI rows: the creations as query rows, and the rows of existing CIs."""

    size: int
    creations: list[Row] = field(default_factory=list)
    existing: list[PlannedCI] = field(default_factory=list)


@dataclass(frozen=True)
class PreparedRelationships:
    """A batch of relationship rows: the edges that cannot exist yet as query rows, and the
    rows whose edge is looked up in the transaction."""

    size: int
    creations: list[Row] = field(default_factory=list)
    maybe_existing: list[PlannedRelationship] = field(default_factory=list)


class BatchWriter:
    """Prepares and writes batches of one import: its source, actor and precedence."""

    def __init__(
        self,
        db: Database,
        writes: Writes,
        source: str,
        actor: str,
        precedence: SourcePrecedence,
    ) -> None:
        self._db = db
        self._writes = writes
        self._source = source
        self._actor = actor
        self._precedence = precedence

    def prepare_cis(self, batch: Sequence[PlannedCI]) -> PreparedCIs:
        """The batch's new CIs as creation rows; no I/O."""
        prepared = PreparedCIs(len(batch))
        for planned in batch:
            if planned.exists:
                prepared.existing.append(planned)
            else:
                prepared.creations.append(self._ci_creation(planned))
        return prepared

    async def write_cis(self, prepared: PreparedCIs) -> BatchOutcome:
        """Creates the batch's new CIs, and confirms (`lastConfirmedAt`) and updates the
        existing ones, in one write transaction: at most five round trips (read, create,
        confirm and update, history of the updates, topology token) whatever the batch
        size."""

        async def work(tx: AsyncManagedTransaction) -> Written[BatchOutcome]:
            stored: dict[str, Row] = {}
            if prepared.existing:
                ids = [planned.ci_id for planned in prepared.existing]
                [row] = await self._db.query(tx, READ_CIS, ids=ids)
                stored = {ci["id"]: ci for ci in row["cis"]}
            creations = list(prepared.creations)
            confirmations: list[Row] = []
            events: list[NewEvent] = []
            for planned in prepared.existing:
                before = stored.get(planned.ci_id)
                if before is None:  # deleted since the plan found it: create it again
                    creations.append(self._ci_creation(planned))
                    continue
                changes = merge_ci(planned, before, self._source, self._precedence)
                confirmations.append({"id": planned.ci_id, "changes": changes})
                if changes:
                    events.append(ci_updated(planned, before, changes, self._source))
            if creations:
                await self._db.query(tx, CREATE_CIS, rows=creations, actor=self._actor)
            if confirmations:
                await self._db.query(
                    tx, CONFIRM_AND_UPDATE_CIS, rows=confirmations, actor=self._actor
                )
            outcome = BatchOutcome(len(creations), len(events), len(confirmations) - len(events))
            return Written(outcome, events, events_written=len(creations))

        return await self._writes.write(OPERATION, self._actor, work, changes_topology=True)

    def prepare_relationships(self, batch: Sequence[PlannedRelationship]) -> PreparedRelationships:
        """The batch's edges to CIs this import creates (they cannot exist yet) as creation
        rows; no I/O."""
        prepared = PreparedRelationships(len(batch))
        for planned in batch:
            if planned.new_end:
                prepared.creations.append(self._edge_creation(planned))
            else:
                prepared.maybe_existing.append(planned)
        return prepared

    async def write_relationships(self, prepared: PreparedRelationships) -> BatchOutcome:
        """Creates the batch's new edges and confirms the existing ones (never a second
        current edge) in one write transaction: at most five round trips (read, create,
        confirm, history of the changes, topology token). `unchanged` counts the edges
        confirmed as they were."""
        keys = [
            {"index": i, "from": p.from_id, "to": p.to_id, "type": p.type.value}
            for i, p in enumerate(prepared.maybe_existing)
        ]

        async def work(tx: AsyncManagedTransaction) -> Written[BatchOutcome]:
            current: dict[int, tuple[str, Row]] = {}
            if keys:
                [row] = await self._db.query(tx, READ_EDGES, rows=keys)
                for index, edge_id, properties in row["edges"]:
                    current.setdefault(index, (edge_id, properties))
            creations = list(prepared.creations)
            confirmations: list[Row] = []
            events: list[NewEvent] = []
            for i, planned in enumerate(prepared.maybe_existing):
                found = current.get(i)
                if found is None:
                    creations.append(self._edge_creation(planned))
                    continue
                edge_id, edge = found
                changes = merge_edge(planned, edge, self._source, self._precedence)
                confirmations.append({"edge": edge_id, "changes": changes})
                if changes:
                    events.append(edge_changed(planned, edge, changes, self._source))
            if creations:
                await self._db.query(tx, CREATE_EDGES, rows=creations, actor=self._actor)
            if confirmations:
                await self._db.query(tx, CONFIRM_EDGES, rows=confirmations)
            outcome = BatchOutcome(len(creations), len(events), len(confirmations) - len(events))
            return Written(outcome, events, events_written=len(creations))

        return await self._writes.write(OPERATION, self._actor, work, changes_topology=True)

    def _ci_creation(self, planned: PlannedCI) -> Row:
        return {
            "id": planned.ci_id,
            "labels": ["CI", planned.label],
            "properties": new_ci_properties(planned, self._source),
            "event": ci_created(planned, self._source),
        }

    def _edge_creation(self, planned: PlannedRelationship) -> Row:
        properties = new_edge_properties(planned, self._source)
        return {
            "from": planned.from_id,
            "to": planned.to_id,
            "type": planned.type.value,
            "source": properties["source"],
            "confidence": properties["confidence"],
            "redundancyGroup": properties.get("redundancyGroup"),
            "event": edge_added(planned, properties, self._source),
        }
