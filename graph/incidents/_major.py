"""Major incidents (docs/concepts.md, "Incident management"): promoting an open incident, and
grouping child incidents under it. The rules are pure, in `graph/domain/_major_incidents.py`;
this module applies them to what it reads under the incidents' locks. The candidates are
`_major_candidates.py`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

from graph._history import NewEvent
from graph._writes import lock
from graph.domain import (
    MAX_CHILDREN_PER_LINK,
    check_child,
    check_parent,
    check_promotion,
    diff,
    new_event_id,
)
from graph.errors import FieldError, InvalidInput, NotFound
from graph.incidents._changes import Request
from graph.incidents._cypher import INCIDENT_PROJECTION
from graph.incidents._model import Incident, incident_from_row
from graph.incidents._prepare import check_texts
from graph.incidents._save import Change, save

__all__ = ["MajorIncidents"]

Step = Callable[[Request], Awaitable[tuple[Incident, list[NewEvent]]]]

# Parent and children are locked in number order (the caller sorts), so that two writers of
# overlapping families take the locks in the same order; each one's parent is read after its
# lock, so of two parents linking one child at once, the second sees the first's edge.
LOCK_FAMILY: LiteralString = (
    """
UNWIND $numbers AS number
OPTIONAL MATCH (i:Incident {number: number})
"""
    + lock("i")
    + """
RETURN number, CASE WHEN i IS NULL THEN null ELSE """
    + INCIDENT_PROJECTION
    + """ END AS incident,
    COLLECT { MATCH (i)-[:CHILD_OF]->(p:Incident) RETURN p {.number, .major} }[0] AS parent"""
)

LINK_CHILDREN = """
MATCH (p:Incident {id: $parentId})
UNWIND $childIds AS childId
MATCH (c:Incident {id: childId})
MERGE (c)-[r:CHILD_OF]->(p)
ON CREATE SET r.at = datetime($now), r.by = $actor
"""

UNLINK_CHILD = """
MATCH (:Incident {id: $childId})-[r:CHILD_OF]->(:Incident {id: $parentId})
DELETE r
"""


@dataclass(frozen=True)
class _Locked:
    incident: Incident
    parent: tuple[str, bool] | None


async def _lock_family(r: Request, numbers: Sequence[str]) -> dict[str, _Locked | None]:
    rows = await r.db.query(r.tx, LOCK_FAMILY, numbers=sorted(set(numbers)))
    return {
        row["number"]: None
        if row["incident"] is None
        else _Locked(
            incident_from_row(row["incident"]),
            (row["parent"]["number"], bool(row["parent"]["major"])) if row["parent"] else None,
        )
        for row in rows
    }


def _event(operation: str, summary: str, changes: Any, ids: Sequence[str], r: Request) -> NewEvent:
    return NewEvent(
        new_event_id(), operation, summary, (), changes, record_ids=tuple(ids), at=r.now
    )


async def _promote(r: Request, number: str, reason: str) -> tuple[Incident, list[NewEvent]]:
    found = (await _lock_family(r, [number]))[number]
    if found is None:
        raise NotFound(f"no incident has the number {number}", field="number")
    current = found.incident
    check_promotion(number, current.state, current.major, found.parent)
    properties = {"major": True, "majorReason": reason}
    saved = await save(r.db, r.tx, [Change(current, properties)], r.now, r.actor, r.calendar)
    changes = diff({"major": False, "majorReason": current.major_reason}, properties)
    event = _event("promoteMajorIncident", f"{number} promoted: {reason}", changes, [current.id], r)
    return saved[current.id], [event]


async def _link(
    r: Request, number: str, children: Sequence[str]
) -> tuple[Incident, list[NewEvent]]:
    family = await _lock_family(r, [number, *children])
    found = family[number]
    if found is None:
        raise NotFound(f"no incident has the number {number}", field="number")
    parent = found.incident
    missing = [
        (f"childNumbers[{n}]", f"no incident has the number {c}")
        for n, c in enumerate(children)
        if family[c] is None
    ]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    check_parent(number, parent.state, parent.major)
    added: list[Incident] = []
    for n, c in enumerate(children):
        child = family[c]
        assert child is not None
        known = child.parent[0] if child.parent else None
        i = child.incident
        check_child(f"childNumbers[{n}]", c, i.state, i.major, known, number)
        if known is None:
            added.append(i)
    if not added:
        return parent, []
    ids = [i.id for i in added]
    await r.db.query(
        r.tx, LINK_CHILDREN, parentId=parent.id, childIds=ids, now=r.now.isoformat(), actor=r.actor
    )
    changes = [Change(parent), *(Change(i) for i in added)]
    saved = await save(r.db, r.tx, changes, r.now, r.actor, r.calendar)
    numbers = sorted(i.number for i in added)
    summary = f"{number} groups {', '.join(numbers)}"
    before, after = list(parent.child_ids), list(saved[parent.id].child_ids)
    changed = diff({"children": before}, {"children": after})
    event = _event("linkChildIncidents", summary, changed, [parent.id, *ids], r)
    return saved[parent.id], [event]


async def _unlink(r: Request, number: str, child_number: str) -> tuple[Incident, list[NewEvent]]:
    family = await _lock_family(r, [number, child_number])
    found, child = family[number], family[child_number]
    if found is None:
        raise NotFound(f"no incident has the number {number}", field="number")
    if child is None:
        raise NotFound(f"no incident has the number {child_number}", field="childNumber")
    parent = found.incident
    if child.parent is None or child.parent[0] != number:
        raise NotFound(f"{child_number} is not a child of {number}", field="childNumber")
    await r.db.query(r.tx, UNLINK_CHILD, childId=child.incident.id, parentId=parent.id)
    changes = [Change(parent), Change(child.incident)]
    saved = await save(r.db, r.tx, changes, r.now, r.actor, r.calendar)
    before, after = list(parent.child_ids), list(saved[parent.id].child_ids)
    event = _event(
        "unlinkChildIncident",
        f"{number} no longer groups {child_number}",
        diff({"children": before}, {"children": after}),
        [parent.id, child.incident.id],
        r,
    )
    return saved[parent.id], [event]


def _numbers(texts: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().upper() for t in texts))


class MajorIncidents:
    """The major-incident methods of `IncidentRepository`."""

    _change: Callable[[str, str, Step], Awaitable[Incident]]

    async def promote(self, number: str, reason: str, actor: str) -> Incident:
        """Makes the open incident major, with `reason`, under its lock. Raises `InvalidInput`
        (reason REQUIRED or TOO_LONG), `NotFound`, or `Conflict` (not open, major already, a
        child of another incident); nothing is written then. Four round trips."""
        text = (reason or "").strip()
        errors = check_texts({"reason": text})
        if not text:
            errors.append(FieldError("reason", "say why it is a major incident", "REQUIRED"))
        if errors:
            raise InvalidInput(errors)

        async def step(r: Request) -> tuple[Incident, list[NewEvent]]:
            return await _promote(r, number, text)

        return await self._change("promoteMajorIncident", actor, step)

    async def link_children(
        self, number: str, child_numbers: Sequence[str], actor: str
    ) -> Incident:
        """Groups the child incidents under the major incident `number`, parent and children
        locked in number order before they are judged (rules: `check_parent`, `check_child`);
        children it has already stay. Raises `InvalidInput`, `NotFound` (`childNumbers[i]`) or
        `Conflict`; nothing is written then. One event on the parent and the new children.
        Five round trips (two when nothing is new)."""
        children = _numbers(child_numbers)
        if not children:
            message = "name at least one child incident"
            raise InvalidInput([FieldError("childNumbers", message, "REQUIRED")])
        if len(children) > MAX_CHILDREN_PER_LINK:
            message = f"at most {MAX_CHILDREN_PER_LINK} child incidents at once"
            raise InvalidInput([FieldError("childNumbers", message, "OUT_OF_RANGE")])

        async def step(r: Request) -> tuple[Incident, list[NewEvent]]:
            return await _link(r, number, children)

        return await self._change("linkChildIncidents", actor, step)

    async def unlink_child(self, number: str, child_number: str, actor: str) -> Incident:
        """Takes the child incident out of the major incident `number`. Raises `NotFound`
        (either incident, or a `childNumber` that is not its child); nothing is written then.
        Five round trips."""
        child = child_number.strip().upper()

        async def step(r: Request) -> tuple[Incident, list[NewEvent]]:
            return await _unlink(r, number, child)

        return await self._change("unlinkChildIncident", actor, step)
