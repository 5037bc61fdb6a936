"""Incidents as the repository returns them: plain frozen values read from one projection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph.domain import ImpactSource, IncidentCategory, IncidentState, Priority, State

__all__ = [
    "Exclusion",
    "Incident",
    "IncidentPage",
    "StoredImpact",
    "Transition",
    "incident_from_row",
]


@dataclass(frozen=True)
class Transition:
    """One recorded move of an incident: who moved it from which state to which, when, why."""

    seq: int
    from_state: IncidentState | None
    to_state: IncidentState
    at: datetime
    actor: str
    note: str | None


@dataclass(frozen=True)
class StoredImpact:
    """A service an incident impacts: computed by the impact analysis (stored on the incident
    node as aligned lists) or added by an agent (an `IMPACTS` relationship)."""

    service_id: str
    state: State
    reason: str
    source: ImpactSource
    at: datetime
    by: str
    rank: int = 0
    """The analysis's order (most critical first) for computed services."""


@dataclass(frozen=True)
class Exclusion:
    """A computed service an agent hid from the incident, and why."""

    service_id: str
    reason: str
    at: datetime
    by: str


@dataclass(frozen=True)
class Incident:
    id: str
    number: str
    title: str
    description: str | None
    category: IncidentCategory
    impact: int
    urgency: int
    priority: Priority
    state: IncidentState
    assignment_group: str | None
    assignee: str | None
    causes_outage: bool
    workaround: str | None
    resolution: str | None
    major: bool
    major_reason: str | None
    opened_at: datetime
    updated_at: datetime
    responded_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    created_by: str
    updated_by: str
    version: int
    sla_breach_at: datetime | None
    source: str | None
    external_id: str | None
    affected_ci_ids: tuple[str, ...] = ()
    transitions: tuple[Transition, ...] = ()
    impacts: tuple[StoredImpact, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    parent_id: str | None = None
    child_ids: tuple[str, ...] = field(default=())
    sla_targets: str | None = None
    """The SLA targets its service level sets (stored form), or None for the defaults."""
    sla_service_id: str | None = None
    """The business service whose service level sets them."""

    @property
    def impacted_services(self) -> tuple[StoredImpact, ...]:
        """The computed services minus the excluded ones, then the ones agents added (each
        service once)."""
        hidden = {e.service_id for e in self.exclusions}
        computed = sorted(
            (i for i in self.impacts if i.source is ImpactSource.COMPUTED),
            key=lambda i: i.rank,
        )
        shown = [i for i in computed if i.service_id not in hidden]
        seen = {i.service_id for i in shown}
        manual = sorted(
            (i for i in self.impacts if i.source is ImpactSource.MANUAL),
            key=lambda i: (i.at, i.service_id),
        )
        return tuple(shown + [i for i in manual if i.service_id not in seen])

    def computed_service_ids(self) -> set[str]:
        return {i.service_id for i in self.impacts if i.source is ImpactSource.COMPUTED}

    @property
    def history(self) -> list[tuple[IncidentState, datetime]]:
        """The states entered after opening, in order, with their instants: what the SLA
        clocks are computed from."""
        return [(t.to_state, t.at) for t in self.transitions]


@dataclass(frozen=True)
class IncidentPage:
    items: tuple[Incident, ...]
    has_next: bool
    positions: tuple[tuple[str, str], ...] = ()
    """Each item's position (sort key text, number): what `page` takes as `after`."""


def _time(value: Any) -> datetime | None:
    return None if value is None else value.to_native()


def _transition(props: dict[str, Any]) -> Transition:
    return Transition(
        seq=int(props["seq"]),
        from_state=IncidentState(props["from"]) if props.get("from") else None,
        to_state=IncidentState(props["to"]),
        at=props["at"].to_native(),
        actor=props["actor"],
        note=props.get("note"),
    )


def _impact(props: dict[str, Any]) -> StoredImpact:
    return StoredImpact(
        service_id=props["serviceId"],
        state=State(props["state"]),
        reason=props.get("reason") or "",
        source=ImpactSource(props["source"]),
        at=props["at"].to_native(),
        by=props["by"],
        rank=int(props.get("rank") or 0),
    )


_STATES = {s.value: s for s in State}


def _computed(p: dict[str, Any]) -> tuple[StoredImpact, ...]:
    """The computed impact as the incident node stores it: aligned lists (service ids, states,
    reasons; the position is the rank) and who computed it when."""
    ids = p.get("computedServiceIds") or ()
    if not ids:
        return ()
    at, by = p["computedAt"].to_native(), p.get("computedBy") or p["createdBy"]
    return tuple(
        StoredImpact(service_id, _STATES[state], reason, ImpactSource.COMPUTED, at, by, rank)
        for rank, (service_id, state, reason) in enumerate(
            zip(ids, p["computedStates"], p["computedReasons"], strict=True)
        )
    )


def _exclusion(props: dict[str, Any]) -> Exclusion:
    return Exclusion(
        service_id=props["serviceId"],
        reason=props["reason"],
        at=props["at"].to_native(),
        by=props["by"],
    )


def incident_from_row(p: dict[str, Any]) -> Incident:
    """The incident of one row of `INCIDENT_PROJECTION`."""
    return Incident(
        id=p["id"],
        number=p["number"],
        title=p["title"],
        description=p.get("description"),
        category=IncidentCategory(p["category"]),
        impact=int(p["impact"]),
        urgency=int(p["urgency"]),
        priority=Priority(p["priority"]),
        state=IncidentState(p["state"]),
        assignment_group=p.get("assignmentGroup"),
        assignee=p.get("assignee"),
        causes_outage=bool(p["causesOutage"]),
        workaround=p.get("workaround"),
        resolution=p.get("resolution"),
        major=bool(p.get("major")),
        major_reason=p.get("majorReason"),
        opened_at=p["openedAt"].to_native(),
        updated_at=p["updatedAt"].to_native(),
        responded_at=_time(p.get("respondedAt")),
        resolved_at=_time(p.get("resolvedAt")),
        closed_at=_time(p.get("closedAt")),
        created_by=p["createdBy"],
        updated_by=p["updatedBy"],
        version=int(p["version"]),
        sla_breach_at=_time(p.get("slaBreachAt")),
        source=p.get("source"),
        external_id=p.get("externalId"),
        affected_ci_ids=tuple(p.get("affected") or ()),
        transitions=tuple(_transition(t) for t in p.get("transitionList") or ()),
        impacts=_computed(p) + tuple(_impact(i) for i in p.get("impactList") or ()),
        exclusions=tuple(_exclusion(e) for e in p.get("exclusionList") or ()),
        parent_id=p.get("parentId"),
        child_ids=tuple(p.get("childIds") or ()),
        sla_targets=p.get("slaTargets"),
        sla_service_id=p.get("slaServiceId"),
    )
