"""Writing incidents: the check of their affected CIs, and the one write of new incidents that
the live `createIncident` and the import of historical incidents share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph._history import NewEvent
from graph._writes import next_number
from graph.domain import (
    EXTERNAL_ID_SEPARATOR,
    INCIDENT_NUMBERS,
    CIStatus,
    IncidentState,
    diff,
    new_event_id,
    record_number,
)
from graph.errors import FieldError, InvalidInput, NotFound
from graph.incidents._cypher import CHECK_CIS, CREATE_INCIDENTS
from graph.incidents._model import Incident, incident_from_row
from graph.incidents._prepare import PreparedIncident, PreparedTransition, computed_parameter
from graph.incidents._sla import BusinessCalendar
from graph.incidents._targets import apply_service_targets

__all__ = [
    "FIRST_NUMBER",
    "check_cis_exist",
    "incident_properties",
    "transition_event",
    "write_new_incidents",
]

FIRST_NUMBER = 1001
"""INC0001001 is the first incident's number."""


async def check_cis_exist(
    db: Database,
    tx: AsyncManagedTransaction,
    ids: Sequence[str],
    field_name: str = "affectedCiIds",
) -> None:
    """Raises `NotFound` naming `affectedCiIds[i]` for each id no CI has, or `InvalidInput`
    (INVALID_VALUE) for each retired CI. One round trip."""
    rows = await db.query(tx, CHECK_CIS, ids=list(ids))
    status = {row["id"]: row["status"] for row in rows}
    missing = [(f"{field_name}[{n}]", f"no CI has the id {i}") for n, i in enumerate(ids)]
    missing = [m for m, i in zip(missing, ids, strict=True) if i not in status]
    if missing:
        raise NotFound(missing[0][1], field=missing[0][0], more=missing[1:])
    retired = [
        FieldError(f"{field_name}[{n}]", f"the CI {i} is retired", "INVALID_VALUE")
        for n, i in enumerate(ids)
        if status[i] == CIStatus.RETIRED.name
    ]
    if retired:
        raise InvalidInput(retired)


def incident_properties(prepared: PreparedIncident) -> dict[str, Any]:
    """The stored scalar properties of a new incident, besides its number and times."""
    new = prepared.new
    import_key = (
        new.source + EXTERNAL_ID_SEPARATOR + new.external_id
        if new.source is not None and new.external_id is not None
        else None
    )
    properties: dict[str, Any] = {
        "title": (new.title or "").strip(),
        "description": new.description,
        "category": new.category.value,
        "impact": new.impact,
        "urgency": new.urgency,
        "priority": prepared.priority.value,
        "priorityRank": prepared.priority.rank,
        "state": prepared.state.value,
        "assignmentGroup": new.assignment_group,
        "assignee": new.assignee,
        "causesOutage": prepared.causes_outage,
        "workaround": new.workaround,
        "resolution": new.resolution,
        "major": False,
        "createdBy": prepared.created_by,
        "updatedBy": prepared.created_by,
        "source": new.source,
        "externalId": new.external_id,
        "importKey": import_key,
    }
    return {k: v for k, v in properties.items() if v is not None}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _row(prepared: PreparedIncident, number: str) -> dict[str, Any]:
    last = prepared.transitions[-1].at if prepared.transitions else prepared.opened_at
    responded = next(
        (t.at for t in prepared.transitions if t.from_state is IncidentState.NEW), None
    )
    resolved = (
        prepared.entered(IncidentState.RESOLVED)
        if prepared.state in (IncidentState.RESOLVED, IncidentState.CLOSED)
        else None
    )
    return {
        "id": prepared.id,
        "properties": {**incident_properties(prepared), "number": number},
        "openedAt": prepared.opened_at.isoformat(),
        "updatedAt": max(last, prepared.opened_at).isoformat(),
        "respondedAt": _iso(responded),
        "resolvedAt": _iso(resolved),
        "closedAt": _iso(
            prepared.entered(IncidentState.CLOSED)
            if prepared.state is IncidentState.CLOSED
            else None
        ),
        "slaBreachAt": _iso(prepared.sla_breach_at),
        "affected": list(prepared.affected_ci_ids),
        "computed": computed_parameter(prepared.computed),
        "transitions": [t.as_parameter() for t in prepared.transitions],
    }


def transition_event(
    incident_id: str, number: str, step: PreparedTransition, operation: str, extra: dict[str, Any]
) -> NewEvent:
    """The audit event of one transition, at its instant, by its actor's name in the summary
    (the event's actor is the writer's)."""
    before = {"state": step.from_state.value}
    after = {"state": step.to_state.value, **extra}
    note = f": {step.note}" if step.note else ""
    return NewEvent(
        new_event_id(),
        operation,
        f"{number} {step.from_state.value} -> {step.to_state.value}{note}",
        (),
        diff(before, after),
        record_ids=(incident_id,),
        at=step.at,
    )


async def write_new_incidents(
    db: Database,
    tx: AsyncManagedTransaction,
    prepared: Sequence[PreparedIncident],
    operation: str,
    *,
    now: datetime,
    calendar: BusinessCalendar,
) -> tuple[list[Incident], list[NewEvent]]:
    """Writes `prepared` incidents (checked, with their SLA breach instant) in `tx`: numbers
    from one `next_number(count=n)`, taken after the CI check, then one UNWIND query that
    creates the incidents (their computed impact as list properties), their AFFECTS edges and
    their transitions.
    Returns the incidents (in order) and their history events (creation at `opened_at`, each
    transition at its instant), which the caller returns in its `Written`. Raises `NotFound`
    or `InvalidInput` for an affected CI that is missing or retired (`affectedCiIds[i]`; the
    import should check its rows first to name them). The SLA targets of their impacted
    services' levels are applied as of `now` (`_targets.py`). Four or five round trips."""
    if not prepared:
        return [], []
    # One incident: its own order, so that an error names its position in the input.
    ids = prepared[0].affected_ci_ids if len(prepared) == 1 else None
    await check_cis_exist(db, tx, ids or sorted({i for p in prepared for i in p.affected_ci_ids}))
    first = await next_number(db, tx, INCIDENT_NUMBERS, count=len(prepared), start=FIRST_NUMBER)
    numbers = [record_number(INCIDENT_NUMBERS, first + n) for n in range(len(prepared))]
    rows = [_row(p, number) for p, number in zip(prepared, numbers, strict=True)]
    created = await db.query(tx, CREATE_INCIDENTS, incidents=rows)
    by_id = {row["incident"]["id"]: incident_from_row(row["incident"]) for row in created}
    by_id = await apply_service_targets(db, tx, list(by_id.values()), now, calendar)
    incidents = [by_id[p.id] for p in prepared]
    events: list[NewEvent] = []
    for p, number in zip(prepared, numbers, strict=True):
        fields = {**incident_properties(p), "affectedCiIds": list(p.affected_ci_ids)}
        fields.pop("updatedBy", None)
        events.append(
            NewEvent(
                new_event_id(),
                operation,
                f"{number} opened: {fields['title']}",
                (),
                diff({}, fields),
                record_ids=(p.id,),
                at=p.opened_at,
            )
        )
        events += [transition_event(p.id, number, t, operation, {}) for t in p.transitions]
    return incidents, events
