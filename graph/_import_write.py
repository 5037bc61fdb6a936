"""Writing a planned import: one write transaction per batch of rows, with `UNWIND`.

Each batch reads the current state of its CIs (or edges) inside its transaction, decides per
attribute with the source precedence what changes, writes the creations and the changes with
one query each, and records the history events of the batch with one more. The functions are
idempotent: ids (of new CIs and of events) were chosen before the transaction started, and
the decisions are recomputed from the graph when the driver retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._ci_input import EXTERNAL_ID_SEPARATOR
from graph._database import Database, Row
from graph._history import FieldChange, HistoryRepository, NewEvent, diff, new_event_id
from graph._import_plan import PlannedCI, PlannedRelationship
from graph._import_precedence import SOURCE_PROPERTY_PREFIX, SourcePrecedence
from graph._model import CIClass
from graph._topology_version import announce_change

__all__ = ["BatchOutcome", "BatchWriter", "merge_ci", "merge_edge", "merge_external_ids"]

OPERATION = "importCIs"
# The precedence of relationship properties (confidence, redundancyGroup) is this attribute's.
RELATIONSHIP_ATTRIBUTE = "relationships"

# One record for the batch, without timestamps: the driver's cost is per record and per
# temporal value, and nothing below compares timestamps.
READ_CIS = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN collect(c {.*, createdAt: null, updatedAt: null, lastConfirmedAt: null}) AS cis
"""

# MERGE on the id chosen before the transaction: a retried batch creates nothing twice.
CREATE_CIS = """
UNWIND $rows AS row
MERGE (c:CI {id: row.id})
ON CREATE SET c += row.properties, c:$(row.label),
    c.createdAt = datetime.transaction(), c.updatedAt = datetime.transaction(), c.version = 1,
    c.createdBy = $actor, c.updatedBy = $actor, c.lastConfirmedAt = datetime.transaction()
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

CREATE_EDGES = """
UNWIND $rows AS row
MATCH (a:CI {id: row.from}), (b:CI {id: row.to})
CREATE (a)-[r:$(row.type)]->(b)
SET r += row.properties, r.createdAt = datetime.transaction(),
    r.validFrom = datetime.transaction(), r.lastConfirmedAt = datetime.transaction(),
    r.createdBy = $actor
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


def merge_external_ids(current: Sequence[str], reported: Sequence[str]) -> list[str]:
    """`current` with the reported entries in: a reported entry replaces every entry of its
    source (a source has one id per CI); the order of what stays is kept."""
    sources = {entry.split(EXTERNAL_ID_SEPARATOR, 1)[0] for entry in reported}
    merged: list[str] = []
    for entry in current:
        source = entry.split(EXTERNAL_ID_SEPARATOR, 1)[0]
        if (source not in sources or entry in reported) and entry not in merged:
            merged.append(entry)
    merged += [entry for entry in reported if entry not in merged]
    return merged


def merge_ci(
    planned: PlannedCI, stored: dict[str, Any], source: str, precedence: SourcePrecedence
) -> dict[str, Any]:
    """The properties to change on an existing CI (empty: the row changes nothing).

    Per attribute the row states: a different value is written when `source` may overwrite
    the recorded source; an equal value is claimed (its recorded source set to `source`) when
    `source` outranks the recorded one (see `SourcePrecedence.outranks`)."""
    changes: dict[str, Any] = {}
    for attribute in planned.given:
        value = planned.properties[attribute]
        recorded = stored.get(SOURCE_PROPERTY_PREFIX + attribute)
        if stored.get(attribute) == value:
            if precedence.outranks(source, recorded, attribute):
                changes[SOURCE_PROPERTY_PREFIX + attribute] = source
        elif precedence.may_overwrite(source, recorded, attribute):
            changes[attribute] = value
            if recorded != source:
                changes[SOURCE_PROPERTY_PREFIX + attribute] = source
    current_ids = list(stored.get("externalIds") or [])
    external_ids = merge_external_ids(current_ids, planned.external_ids)
    if external_ids != current_ids:
        changes["externalIds"] = external_ids
    return changes


def new_ci_properties(planned: PlannedCI, source: str) -> dict[str, Any]:
    """The properties of a CI the import creates, with the source of every stated value."""
    properties = dict(planned.properties)
    if planned.external_ids:
        properties["externalIds"] = list(planned.external_ids)
    properties.update({SOURCE_PROPERTY_PREFIX + key: source for key in planned.given})
    return properties


def merge_edge(
    planned: PlannedRelationship,
    current: dict[str, Any],
    source: str,
    precedence: SourcePrecedence,
) -> dict[str, Any]:
    """The properties to change on an existing edge the row confirms (empty: only
    `lastConfirmedAt` is refreshed). The edge's `source` is the source of its properties."""
    reported: dict[str, Any] = {}
    if planned.confidence is not None:
        reported["confidence"] = planned.confidence
    if planned.redundancy_group is not None:
        reported["redundancyGroup"] = planned.redundancy_group
    changes = {key: value for key, value in reported.items() if current.get(key) != value}
    recorded = current.get("source")
    if not changes or not precedence.may_overwrite(source, recorded, RELATIONSHIP_ATTRIBUTE):
        return {}
    if recorded != source:
        changes["source"] = source
    return changes


def new_edge_properties(planned: PlannedRelationship, source: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "source": source,
        "confidence": planned.confidence if planned.confidence is not None else 1.0,
    }
    if planned.redundancy_group is not None:
        properties["redundancyGroup"] = planned.redundancy_group
    return properties


class BatchWriter:
    """Writes batches of one import: its source, actor and precedence."""

    def __init__(
        self,
        db: Database,
        history: HistoryRepository,
        source: str,
        actor: str,
        precedence: SourcePrecedence,
    ) -> None:
        self._db = db
        self._history = history
        self._source = source
        self._actor = actor
        self._precedence = precedence

    async def write_cis(self, batch: Sequence[PlannedCI]) -> BatchOutcome:
        """Creates the batch's new CIs, and confirms (`lastConfirmedAt`) and updates the
        existing ones, in one write transaction: at most four round trips (read, create,
        confirm and update, history) whatever the batch size."""
        event_ids = [new_event_id() for _ in batch]

        async def work(tx: AsyncManagedTransaction) -> BatchOutcome:
            existing = [planned.ci_id for planned in batch if planned.exists]
            stored: dict[str, Row] = {}
            if existing:
                [row] = await self._db.query(tx, READ_CIS, ids=existing)
                stored = {ci["id"]: ci for ci in row["cis"]}
            creations: list[Row] = []
            confirmations: list[Row] = []
            events: list[NewEvent] = []
            for planned, event_id in zip(batch, event_ids, strict=True):
                before = stored.get(planned.ci_id)
                if before is None:
                    creations.append(self._creation(planned))
                    events.append(self._created_event(event_id, planned))
                    continue
                changes = merge_ci(planned, before, self._source, self._precedence)
                confirmations.append({"id": planned.ci_id, "changes": changes})
                if changes:
                    events.append(self._updated_event(event_id, planned, before, changes))
            if creations:
                await self._db.query(tx, CREATE_CIS, rows=creations, actor=self._actor)
            if confirmations:
                await self._db.query(
                    tx, CONFIRM_AND_UPDATE_CIS, rows=confirmations, actor=self._actor
                )
            await self._history.record(tx, self._actor, events)
            if events:
                await announce_change(self._db, tx)
            updated = len(events) - len(creations)
            return BatchOutcome(len(creations), updated, len(confirmations) - updated)

        return await self._db.write(OPERATION, work)

    async def write_relationships(self, batch: Sequence[PlannedRelationship]) -> BatchOutcome:
        """Creates the batch's new edges and confirms the existing ones (never a second
        current edge) in one write transaction: at most four round trips. `unchanged` counts
        the edges confirmed as they were."""
        event_ids = [new_event_id() for _ in batch]
        keys = [
            {"index": i, "from": p.from_id, "to": p.to_id, "type": p.type.value}
            for i, p in enumerate(batch)
        ]
        # Edges to CIs this import created cannot exist (yet): no need to look for them.
        maybe_existing = [key for key, p in zip(keys, batch, strict=True) if not p.new_end]

        async def work(tx: AsyncManagedTransaction) -> BatchOutcome:
            current: dict[int, tuple[str, Row]] = {}
            if maybe_existing:
                [row] = await self._db.query(tx, READ_EDGES, rows=maybe_existing)
                for index, edge_id, properties in row["edges"]:
                    current.setdefault(index, (edge_id, properties))
            creations: list[Row] = []
            confirmations: list[Row] = []
            events: list[NewEvent] = []
            updated = 0
            for i, planned in enumerate(batch):
                found = current.get(i)
                if found is None:
                    properties = new_edge_properties(planned, self._source)
                    creations.append({**keys[i], "properties": properties})
                    events.append(self._edge_event(event_ids[i], planned, "added", {}, properties))
                    continue
                edge_id, edge = found
                changes = merge_edge(planned, edge, self._source, self._precedence)
                confirmations.append({"edge": edge_id, "changes": changes})
                if changes:
                    updated += 1
                    events.append(self._edge_event(event_ids[i], planned, "changed", edge, changes))
            if creations:
                await self._db.query(tx, CREATE_EDGES, rows=creations, actor=self._actor)
            if confirmations:
                await self._db.query(tx, CONFIRM_EDGES, rows=confirmations)
            await self._history.record(tx, self._actor, events)
            if events:
                await announce_change(self._db, tx)
            return BatchOutcome(len(creations), updated, len(confirmations) - updated)

        return await self._db.write(OPERATION, work)

    def _creation(self, planned: PlannedCI) -> Row:
        properties = new_ci_properties(planned, self._source)
        return {"id": planned.ci_id, "label": planned.label, "properties": properties}

    def _created_event(self, event_id: str, planned: PlannedCI) -> NewEvent:
        visible = dict(planned.properties)
        if planned.external_ids:
            visible["externalIds"] = list(planned.external_ids)
        return NewEvent(
            event_id,
            OPERATION,
            f"{_class_name(planned.label)} {planned.name} created by import from {self._source}",
            (planned.ci_id,),
            diff({}, visible),
        )

    def _updated_event(
        self, event_id: str, planned: PlannedCI, before: Row, changes: dict[str, Any]
    ) -> NewEvent:
        return NewEvent(
            event_id,
            OPERATION,
            f"{_class_name(planned.label)} {before['name']} updated by import from {self._source}",
            (planned.ci_id,),
            tuple(FieldChange(key, before.get(key), changes[key]) for key in sorted(changes)),
        )

    def _edge_event(
        self,
        event_id: str,
        planned: PlannedRelationship,
        verb: str,
        before: Row,
        after: dict[str, Any],
    ) -> NewEvent:
        summary = (
            f"{planned.type.value} {planned.from_name} -> {planned.to_name} {verb} by import"
            f" from {self._source}"
        )
        changes = tuple(FieldChange(key, before.get(key), after[key]) for key in sorted(after))
        return NewEvent(event_id, OPERATION, summary, (planned.from_id, planned.to_id), changes)


def _class_name(label: str) -> str:
    return CIClass.from_label(label).name
