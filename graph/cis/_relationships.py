"""The relationship repository: relate and unrelate CIs, with validity intervals and history.

An edge is current while `validTo` is null. `unrelate` closes the interval instead of deleting,
so the graph can be read as it was (docs/concepts.md, "History"). Reporting a current edge
again refreshes its `lastConfirmedAt`; it never adds a second edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written, lock
from graph.domain import (
    CIClass,
    FieldChange,
    RelationType,
    check_edge,
    group_name,
    min_operational_property,
    new_event_id,
)
from graph.errors import InvalidInput, NotFound

__all__ = ["NewRelationship", "RelateOutcome", "Relationship", "RelationshipRepository"]

# The dependent CI's write lock is taken before its current edge is looked for: of two
# writers of the same edge, the second waits for the first to commit and then confirms the
# edge the first created.
ENDS: LiteralString = (
    """
OPTIONAL MATCH (a:CI {id: $from})
"""
    + lock("a")
    + """
WITH a
OPTIONAL MATCH (b:CI {id: $to})
OPTIONAL MATCH (a)-[r:$($type)]->(b) WHERE r.validTo IS NULL
RETURN a.class AS fromClass, b.class AS toClass, a.name AS fromName, b.name AS toName,
       r {.*} AS current
"""
)

CREATE_EDGE = """
MATCH (a:CI {id: $from}), (b:CI {id: $to})
CREATE (a)-[r:$($type)]->(b)
SET r += $properties, r.createdAt = datetime.transaction(), r.validFrom = datetime.transaction(),
    r.lastConfirmedAt = datetime.transaction(), r.createdBy = $actor
SET a += $minOperational
RETURN r {.*} AS edge
"""

CONFIRM_EDGE = """
MATCH (a:CI {id: $from})-[r:$($type)]->(b:CI {id: $to}) WHERE r.validTo IS NULL
SET r += $properties, r.lastConfirmedAt = datetime.transaction()
SET a += $minOperational
RETURN r {.*} AS edge
"""

CLOSE_EDGE: LiteralString = (
    """
MATCH (a:CI {id: $from})
"""
    + lock("a")
    + """
WITH a
MATCH (a)-[r:$($type)]->(b:CI {id: $to}) WHERE r.validTo IS NULL
SET r.validTo = datetime.transaction(), r.closedBy = $actor
RETURN r {.*} AS edge
"""
)


@dataclass(frozen=True)
class NewRelationship:
    from_id: str
    to_id: str
    type: RelationType
    source: str | None = None
    confidence: float | None = None
    redundancy_group: str | None = None
    min_operational: int | None = None


@dataclass(frozen=True)
class Relationship:
    from_id: str
    to_id: str
    type: RelationType
    source: str | None
    confidence: float | None
    redundancy_group: str | None
    created_at: datetime
    last_confirmed_at: datetime
    valid_from: datetime
    valid_to: datetime | None


@dataclass(frozen=True)
class RelateOutcome:
    relationship: Relationship
    created: bool


def _check(new: NewRelationship) -> tuple[dict[str, Any], dict[str, int]]:
    """The edge's properties and its dependent's pool requirement, as stored; `InvalidInput`
    when a value breaks the edge check."""
    errors = check_edge(
        new.type,
        new.from_id,
        new.to_id,
        confidence=new.confidence,
        redundancy_group=new.redundancy_group,
        min_operational=new.min_operational,
        source=new.source,
    )
    if errors:
        raise InvalidInput(errors)
    group = group_name(new.redundancy_group)
    # Absent values never erase what another report said.
    properties: dict[str, Any] = {
        "confidence": new.confidence if new.confidence is not None else 1.0
    }
    if (new.source or "").strip():
        properties["source"] = (new.source or "").strip()
    if group is not None:
        properties["redundancyGroup"] = group
    minimum = (
        {min_operational_property(group): new.min_operational}
        if group is not None and new.min_operational
        else {}
    )
    return properties, minimum


class RelationshipRepository:
    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes | None = None
    ) -> None:
        self._db = db
        self._writes = writes or Writes(db, history)

    async def relate(self, new: NewRelationship, actor: str) -> RelateOutcome:
        """Adds the edge, or refreshes `lastConfirmedAt` of the current one. Refuses unknown
        ends (`NotFound`), self-loops and class pairs the rules forbid (`InvalidInput`); nothing
        is written then. Concurrent calls for the same edge create it once: the others confirm
        it. One write transaction, four round trips (two when nothing changed)."""
        properties, minimum = _check(new)
        event_id = new_event_id()
        params = {"from": new.from_id, "to": new.to_id, "type": new.type.value}

        async def work(tx: AsyncManagedTransaction) -> Written[RelateOutcome]:
            ends = (await self._db.query(tx, ENDS, **params))[0]
            self._check_ends(new, ends)
            current = ends["current"]
            query = CONFIRM_EDGE if current else CREATE_EDGE
            rows = await self._db.query(
                tx, query, **params, properties=properties, minOperational=minimum, actor=actor
            )
            edge = rows[0]["edge"]
            changes = _changes(current or {}, edge, minimum)
            outcome = RelateOutcome(_relationship(new, edge), created=current is None)
            if current is not None and not changes:
                return Written(outcome)
            verb = "added" if current is None else "changed"
            summary = f"{new.type.value} {ends['fromName']} -> {ends['toName']} {verb}"
            event = NewEvent(event_id, "relateCIs", summary, (new.from_id, new.to_id), changes)
            # The dependent's edges (and its minOperational) changed; the target's did not.
            return Written(outcome, [event], topology_ci_ids=(new.from_id,))

        return await self._writes.write("relateCIs", actor, work, changes_topology=True)

    async def unrelate(
        self, from_id: str, to_id: str, relation: RelationType, actor: str
    ) -> Relationship:
        """Closes the current edge's validity interval (the edge stays readable as past
        structure). `NotFound` (field `to`) when there is no current edge."""
        event_id = new_event_id()
        params = {"from": from_id, "to": to_id, "type": relation.value}

        async def work(tx: AsyncManagedTransaction) -> Written[Relationship]:
            rows = await self._db.query(tx, CLOSE_EDGE, **params, actor=actor)
            if not rows:
                raise NotFound(
                    f"there is no current {relation.value} relationship from {from_id} to {to_id}",
                    field="to",
                )
            edge = rows[0]["edge"]
            summary = f"{relation.value} {from_id} -> {to_id} removed"
            changes = (FieldChange("validTo", None, str(edge["validTo"])),)
            event = NewEvent(event_id, "unrelateCIs", summary, (from_id, to_id), changes)
            closed = _relationship(NewRelationship(from_id, to_id, relation), edge)
            return Written(closed, [event], topology_ci_ids=(from_id,))

        return await self._writes.write("unrelateCIs", actor, work, changes_topology=True)

    @staticmethod
    def _check_ends(new: NewRelationship, ends: dict[str, Any]) -> None:
        missing = [
            (field, f"no CI has the id {ci_id}")
            for field, ci_id, found in (
                ("from", new.from_id, ends["fromClass"]),
                ("to", new.to_id, ends["toClass"]),
            )
            if found is None
        ]
        if missing:
            (field, message), *more = missing
            raise NotFound(message, field=field, more=more)
        classes = (CIClass.from_label(ends["fromClass"]), CIClass.from_label(ends["toClass"]))
        problems = check_edge(new.type, new.from_id, new.to_id, classes=classes)
        if problems:
            raise InvalidInput(problems)


def _changes(
    before: dict[str, Any], after: dict[str, Any], minimum: dict[str, int]
) -> tuple[FieldChange, ...]:
    watched = ("source", "confidence", "redundancyGroup")
    changes = [
        FieldChange(key, before.get(key), after.get(key))
        for key in watched
        if before.get(key) != after.get(key)
    ]
    changes += [FieldChange(key, None, value) for key, value in minimum.items()]
    return tuple(changes)


def _relationship(new: NewRelationship, edge: dict[str, Any]) -> Relationship:
    valid_to = edge.get("validTo")
    return Relationship(
        from_id=new.from_id,
        to_id=new.to_id,
        type=new.type,
        source=edge.get("source"),
        confidence=edge.get("confidence"),
        redundancy_group=edge.get("redundancyGroup"),
        created_at=edge["createdAt"].to_native(),
        last_confirmed_at=edge["lastConfirmedAt"].to_native(),
        valid_from=edge["validFrom"].to_native(),
        valid_to=valid_to.to_native() if valid_to is not None else None,
    )
