"""An incident's impacted services: computed by the impact analysis from its affected CIs,
and corrected by agents (a service added by hand, a computed one excluded with a reason). The
analysis's services replace the computed ones only; the agents' decisions survive it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph._history import NewEvent
from graph.domain import (
    CIClass,
    ClassGroup,
    IncidentCategory,
    State,
    causes_outage_by_default,
    computed_state,
    diff,
    new_event_id,
    services_diff,
)
from graph.errors import Conflict, FieldError, InvalidInput, NotFound
from graph.impact import Analyst
from graph.incidents._changes import Request, lock_and_read
from graph.incidents._cypher import (
    ADD_MANUAL_IMPACT,
    CLEAR_MANUAL_IMPACT,
    EXCLUDE_SERVICE,
    READ_SERVICE,
)
from graph.incidents._model import Incident
from graph.incidents._prepare import ComputedImpact, check_texts
from graph.incidents._save import Change, save

__all__ = ["add_work", "clear_work", "computed_impact", "exclude_work", "recompute_work"]


async def computed_impact(
    analyst: Analyst,
    ci_ids: Sequence[str],
    category: IncidentCategory,
    causes_outage: bool | None,
) -> tuple[ComputedImpact, ...]:
    """The business and technical services the failure of `ci_ids` impacts, most critical
    first, with their redundancy-aware state and its reason, as an incident of `category`
    lists them (`computed_state`: at most DEGRADED when it causes no outage; a service request
    that causes none lists none). `causes_outage` None: the category's default. In process:
    one round trip (the topology's freshness check)."""
    outage = causes_outage_by_default(category) if causes_outage is None else causes_outage
    if computed_state(State.DOWN, category, outage) is None:
        return ()
    analysis = await analyst.impact(list(ci_ids))
    found = []
    for s in analysis.services:
        state = computed_state(s.state, category, outage)
        if state is not None:
            reason = s.reason if state is s.state else f"{s.reason} (impaired, not failed)"
            found.append(ComputedImpact(s.ci.id, state, reason))
    return tuple(found)


def _event(incident: Incident, operation: str, summary: str, changes: Any, r: Request) -> NewEvent:
    return NewEvent(
        new_event_id(),
        operation,
        f"{incident.number} {summary}",
        (),
        changes,
        record_ids=(incident.id,),
        at=r.now,
    )


def _reason(reason: str | None, required: bool) -> str:
    text = (reason or "").strip()
    errors = check_texts({"reason": text})
    if required and not text:
        errors.append(FieldError("reason", "give the reason", "REQUIRED"))
    if errors:
        raise InvalidInput(errors)
    return text


async def _saved(
    r: Request, incident: Incident, event: NewEvent
) -> tuple[Incident, list[NewEvent]]:
    saved = await save(
        r.db, r.tx, [Change(incident, services_changed=True)], r.now, r.actor, r.calendar
    )
    return saved[incident.id], [event]


async def add_work(
    r: Request, number: str, service_id: str, state: State, reason: str | None
) -> tuple[Incident, list[NewEvent]]:
    """Adds a service the analysis does not reach (MANUAL), or restates one added before."""
    text = _reason(reason, required=False)
    if state is State.OPERATIONAL:
        message = "an impacted service is DOWN or DEGRADED"
        raise InvalidInput([FieldError("state", message, "INVALID_VALUE")])
    incident = await lock_and_read(r.db, r.tx, number)
    rows = await r.db.query(r.tx, READ_SERVICE, serviceId=service_id)
    if not rows:
        raise NotFound(f"no CI has the id {service_id}", field="serviceId")
    ci_class = CIClass.from_label(rows[0]["class"])
    if ci_class.group is not ClassGroup.SERVICE:
        message = f"the CI is a {ci_class.name}, not a business or technical service"
        raise InvalidInput([FieldError("serviceId", message, "INVALID_VALUE")])
    shown = {i.service_id for i in incident.impacted_services}
    if service_id in incident.computed_service_ids() and service_id in shown:
        message = "the impact analysis lists this service already"
        raise InvalidInput([FieldError("serviceId", message, "INVALID_VALUE")])
    await r.db.query(
        r.tx,
        ADD_MANUAL_IMPACT,
        id=incident.id,
        serviceId=service_id,
        state=state.value,
        reason=text,
        now=r.now.isoformat(),
        actor=r.actor,
    )
    changes = diff({}, {"impactedService": {"id": service_id, "state": state.value}})
    return await _saved(
        r, incident, _event(incident, "addImpactedService", "impact added", changes, r)
    )


async def exclude_work(
    r: Request, number: str, service_id: str, reason: str | None
) -> tuple[Incident, list[NewEvent]]:
    """Hides a computed impacted service, with the agent's reason."""
    text = _reason(reason, required=True)
    incident = await lock_and_read(r.db, r.tx, number)
    if service_id not in incident.computed_service_ids():
        message = "the impact analysis does not list this service: nothing to exclude"
        raise InvalidInput([FieldError("serviceId", message, "INVALID_VALUE")])
    await r.db.query(
        r.tx,
        EXCLUDE_SERVICE,
        id=incident.id,
        serviceId=service_id,
        reason=text,
        now=r.now.isoformat(),
        actor=r.actor,
    )
    changes = diff({}, {"excludedService": {"id": service_id, "reason": text}})
    event = _event(incident, "excludeImpactedService", "impact excluded", changes, r)
    return await _saved(r, incident, event)


async def clear_work(r: Request, number: str, service_id: str) -> tuple[Incident, list[NewEvent]]:
    """Removes the agents' decisions about one service: its manual addition, its exclusion."""
    incident = await lock_and_read(r.db, r.tx, number)
    rows = await r.db.query(r.tx, CLEAR_MANUAL_IMPACT, id=incident.id, serviceId=service_id)
    if not rows or rows[0]["cleared"] == 0:
        raise NotFound(
            "the incident has no manual impact or exclusion of this service", field="serviceId"
        )
    changes = diff({"manualImpact": service_id}, {})
    event = _event(incident, "clearManualImpact", "manual impact cleared", changes, r)
    return await _saved(r, incident, event)


async def recompute_work(
    r: Request, number: str, affected: Sequence[str], computed: Sequence[ComputedImpact]
) -> tuple[Incident, list[NewEvent]]:
    """Replaces the computed impact with `computed`, the analysis of `affected` (the incident's
    affected CIs read before the transaction; Conflict when they changed since)."""
    incident = await lock_and_read(r.db, r.tx, number)
    if set(incident.affected_ci_ids) != set(affected):
        raise Conflict(
            "the incident's affected CIs changed meanwhile; recompute again", field="number"
        )
    saved = await save(
        r.db, r.tx, [Change(incident, computed=tuple(computed))], r.now, r.actor, r.calendar
    )
    changes = services_diff(
        "computedServices", incident.computed_service_ids(), {c.service_id for c in computed}
    )
    event = _event(incident, "recomputeIncidentImpact", "impact recomputed", changes, r)
    return saved[incident.id], [event]
