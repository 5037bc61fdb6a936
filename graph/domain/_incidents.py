"""The words and rules of incident management (docs/concepts.md, "Incident management"): the
categories, the priority matrix, the states and the only transitions allowed between them.
Pure: the repository that stores incidents is `graph/incidents/`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from graph.domain._impact import State
from graph.domain._states import check_move
from graph.errors import FieldError, InvalidInput

__all__ = [
    "INCIDENT_NUMBERS",
    "OPEN_STATES",
    "TRANSITIONS",
    "ImpactSource",
    "IncidentCategory",
    "IncidentState",
    "Priority",
    "allowed_transitions",
    "causes_outage_by_default",
    "check_transition",
    "check_urgency_or_impact",
    "computed_state",
    "priority_of",
    "record_number",
]


class IncidentCategory(Enum):
    """How the service desk classifies an incident."""

    APPLICATION = "APPLICATION"
    HARDWARE = "HARDWARE"
    SERVICE_REQUEST = "SERVICE_REQUEST"


class IncidentState(Enum):
    NEW = "NEW"
    IN_PROGRESS = "IN_PROGRESS"
    ON_HOLD = "ON_HOLD"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class Priority(Enum):
    """P1 (most urgent) .. P5, from impact x urgency."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"
    P5 = "P5"

    @property
    def rank(self) -> int:
        """1 for P1 .. 5 for P5: what orders and stores a priority."""
        return int(self.value[1])


class ImpactSource(Enum):
    """Where an impacted service of an incident comes from: the impact engine, or an agent."""

    COMPUTED = "COMPUTED"
    MANUAL = "MANUAL"


TRANSITIONS: Mapping[IncidentState, tuple[IncidentState, ...]] = {
    IncidentState.NEW: (IncidentState.IN_PROGRESS, IncidentState.RESOLVED, IncidentState.CANCELLED),
    IncidentState.IN_PROGRESS: (
        IncidentState.ON_HOLD,
        IncidentState.RESOLVED,
        IncidentState.CANCELLED,
    ),
    IncidentState.ON_HOLD: (IncidentState.IN_PROGRESS, IncidentState.CANCELLED),
    IncidentState.RESOLVED: (IncidentState.CLOSED, IncidentState.IN_PROGRESS),
    IncidentState.CLOSED: (),
    IncidentState.CANCELLED: (),
}
"""Every allowed transition, and no other: RESOLVED -> IN_PROGRESS is a reopening."""

OPEN_STATES = (IncidentState.NEW, IncidentState.IN_PROGRESS, IncidentState.ON_HOLD)
"""The states in which an incident is still being worked on (and fails its CIs when it causes
an outage)."""

INCIDENT_NUMBERS = "INC"
"""The prefix and the sequence of incident numbers: INC0001001 upward."""

_IMPACT_OR_URGENCY = (1, 2, 3)


def record_number(prefix: str, number: int) -> str:
    """The human-readable number of a record: `INC0001001` for (`INC`, 1001)."""
    return f"{prefix}{number:07d}"


def priority_of(impact: int, urgency: int) -> Priority:
    """The ITIL priority matrix: impact and urgency from 1 (high) to 3 (low) give P1..P5
    (P1 for 1 x 1, P5 for 3 x 3; each step down in either lowers the priority by one)."""
    check_urgency_or_impact(impact=impact, urgency=urgency)
    return Priority(f"P{impact + urgency - 1}")


def check_urgency_or_impact(*, impact: int | None = None, urgency: int | None = None) -> None:
    """Raises `InvalidInput` naming each of `impact` and `urgency` that is not 1, 2 or 3."""
    errors = [
        FieldError(
            name, f"{name} must be 1 (high), 2 (medium) or 3 (low), got {value}", "OUT_OF_RANGE"
        )
        for name, value in (("impact", impact), ("urgency", urgency))
        if value is not None and value not in _IMPACT_OR_URGENCY
    ]
    if errors:
        raise InvalidInput(errors)


def allowed_transitions(state: IncidentState) -> tuple[IncidentState, ...]:
    """The states an incident in `state` may move to."""
    return TRANSITIONS[state]


def check_transition(state: IncidentState, to: IncidentState, field: str = "to") -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when `state` -> `to` is not allowed,
    naming the allowed ones."""
    check_move("an incident", TRANSITIONS, state, to, field)


def causes_outage_by_default(category: IncidentCategory) -> bool:
    """Whether an incident of `category` fails its affected CIs while open, unless the agent
    says otherwise: APPLICATION and HARDWARE do, a SERVICE_REQUEST does not."""
    return category is not IncidentCategory.SERVICE_REQUEST


def computed_state(state: State, category: IncidentCategory, causes_outage: bool) -> State | None:
    """How an incident lists a service the impact analysis finds `state` when its affected CIs
    fail: as found when the incident causes an outage; otherwise its CIs are impaired, not
    failed, so the service is at most DEGRADED, and a SERVICE_REQUEST impairs nothing (None:
    not listed)."""
    if causes_outage:
        return state
    if category is IncidentCategory.SERVICE_REQUEST:
        return None
    return State.DEGRADED if state is State.DOWN else state
