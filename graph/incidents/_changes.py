"""The work of `updateIncident` and `transitionIncident` inside their write transaction: lock
the incident, judge the request against what it is now, save, describe it for the history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._history import NewEvent
from graph.domain import (
    OPEN_STATES,
    IncidentCategory,
    IncidentState,
    check_transition,
    diff,
    new_event_id,
    priority_of,
)
from graph.errors import Conflict, FieldError, InvalidInput, NotFound
from graph.incidents._cypher import LOCK_AND_READ, LOCK_OPEN_CHILDREN
from graph.incidents._model import Incident, incident_from_row
from graph.incidents._prepare import (
    ComputedImpact,
    NewIncident,
    check_texts,
    validate_new_incident,
)
from graph.incidents._save import Change, save, steps_to
from graph.incidents._sla import BusinessCalendar
from graph.incidents._write import check_cis_exist, transition_event

__all__ = ["Request", "lock_and_read", "transition_work", "update_work"]


@dataclass(frozen=True)
class Request:
    """Who writes, when, by which calendar: what every change of an incident needs."""

    db: Database
    tx: AsyncManagedTransaction
    actor: str
    now: datetime
    calendar: BusinessCalendar


async def lock_and_read(db: Database, tx: AsyncManagedTransaction, number: str) -> Incident:
    """The incident numbered `number`, its write lock taken first (a concurrent writer of it
    waits for this transaction); raises `NotFound` (field `number`). One round trip."""
    rows = await db.query(tx, LOCK_AND_READ, number=number)
    if not rows:
        raise NotFound(f"no incident has the number {number}", field="number")
    return incident_from_row(rows[0]["incident"])


def _as_fields(i: Incident) -> dict[str, Any]:
    return {
        "title": i.title,
        "description": i.description,
        "category": i.category,
        "impact": i.impact,
        "urgency": i.urgency,
        "affected_ci_ids": i.affected_ci_ids,
        "assignment_group": i.assignment_group,
        "assignee": i.assignee,
        "causes_outage": i.causes_outage,
        "workaround": i.workaround,
    }


def _stored(fields: dict[str, Any]) -> dict[str, Any]:
    category: IncidentCategory = fields["category"]
    priority = priority_of(fields["impact"], fields["urgency"])
    return {
        "title": (fields["title"] or "").strip(),
        "description": fields["description"],
        "category": category.value,
        "impact": fields["impact"],
        "urgency": fields["urgency"],
        "priority": priority.value,
        "priorityRank": priority.rank,
        "assignmentGroup": fields["assignment_group"],
        "assignee": fields["assignee"],
        "causesOutage": fields["causes_outage"],
        "workaround": fields["workaround"],
    }


async def update_work(
    r: Request,
    number: str,
    expected_version: int | None,
    patch: dict[str, Any],
    computed: Sequence[ComputedImpact] | None,
) -> tuple[Incident, list[NewEvent]]:
    """Applies `patch` (NewIncident field names) to the incident when it is still at
    `expected_version`; `computed` is the impact of its affected CIs as it lists them, when the
    patch changes them, its category or causesOutage. Raises NotFound, Conflict
    (expectedVersion) or InvalidInput; writes nothing then."""
    current = await lock_and_read(r.db, r.tx, number)
    if expected_version is not None and current.version != expected_version:
        raise Conflict(
            f"the incident was changed meanwhile: it is at version {current.version}, not "
            f"{expected_version}; reload it and apply your change again",
            field="expectedVersion",
        )
    fields = {**_as_fields(current), **patch}
    affected = validate_new_incident(NewIncident(**fields))
    fields["affected_ci_ids"] = affected
    # The same CIs in another order are no change.
    before = {**_stored(_as_fields(current)), "affectedCiIds": sorted(current.affected_ci_ids)}
    after = {**_stored(fields), "affectedCiIds": sorted(affected)}
    changes = diff(before, after)
    if not changes:
        return current, []
    new_affected = affected if set(affected) != set(current.affected_ci_ids) else None
    if new_affected is not None:
        await check_cis_exist(r.db, r.tx, new_affected)
    properties = {c.field: c.after for c in changes if c.field != "affectedCiIds"}
    change = Change(
        current,
        properties,
        affected=new_affected,
        computed=None if computed is None else tuple(computed),
    )
    saved = await save(r.db, r.tx, [change], r.now, r.actor, r.calendar)
    event = NewEvent(
        new_event_id(),
        "updateIncident",
        f"{number} updated",
        (),
        changes,
        record_ids=(current.id,),
        at=r.now,
    )
    return saved[current.id], [event]


def _check_texts(note: str | None, workaround: str | None, resolution: str | None) -> None:
    errors = check_texts({"note": note, "workaround": workaround, "resolution": resolution})
    if errors:
        raise InvalidInput(errors)


async def transition_work(
    r: Request,
    number: str,
    to: IncidentState,
    note: str | None,
    workaround: str | None,
    resolution: str | None,
) -> tuple[Incident, list[NewEvent]]:
    """Moves the incident to `to`, judged against its state after its lock is taken; a
    resolved parent resolves its open children with its resolution. Raises NotFound or
    InvalidInput (INVALID_TRANSITION naming the allowed states; REQUIRED resolution)."""
    _check_texts(note, workaround, resolution)
    current = await lock_and_read(r.db, r.tx, number)
    check_transition(current.state, to)
    resolution = resolution.strip() if resolution and resolution.strip() else None
    if to is IncidentState.RESOLVED and resolution is None:
        message = "say how the incident was resolved"
        raise InvalidInput([FieldError("resolution", message, "REQUIRED")])
    properties: dict[str, Any] = {}
    if resolution is not None:
        properties["resolution"] = resolution
    if workaround is not None:
        properties["workaround"] = workaround
    changes = [Change(current, properties, steps_to(current, [to], r.now, r.actor, note))]
    if to is IncidentState.RESOLVED and current.child_ids:
        changes += await _children_resolved(r, current, resolution or "")
    saved = await save(r.db, r.tx, changes, r.now, r.actor, r.calendar)
    events = [
        transition_event(c.incident.id, c.incident.number, step, "transitionIncident", extra)
        for c in changes
        for step, extra in zip(c.steps, _extras(c), strict=True)
    ]
    return saved[current.id], events


def _extras(change: Change) -> list[dict[str, Any]]:
    """What each step of `change` changed besides the state: the last carries the texts."""
    extras: list[dict[str, Any]] = [{} for _ in change.steps]
    extras[-1] = dict(change.properties)
    return extras


async def _children_resolved(r: Request, parent: Incident, resolution: str) -> list[Change]:
    rows = await r.db.query(
        r.tx, LOCK_OPEN_CHILDREN, parentId=parent.id, open=[s.value for s in OPEN_STATES]
    )
    changes = []
    for row in rows:
        child = incident_from_row(row["incident"])
        path = [IncidentState.RESOLVED]
        if child.state is IncidentState.ON_HOLD:
            path = [IncidentState.IN_PROGRESS, IncidentState.RESOLVED]
        note = f"resolved with {parent.number}"
        steps = steps_to(child, path, r.now, r.actor, note)
        changes.append(Change(child, {"resolution": resolution}, steps))
    return changes
