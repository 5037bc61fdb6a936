"""The words and rules of release management (docs/concepts.md, "Release management"): the
types and states of a release, the only transitions allowed between them, which changes a
release may hold and when it may deploy them, and how its changes' impacts combine. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum

from graph.domain._changes import ChangeState
from graph.domain._impact import State
from graph.domain._states import check_move
from graph.errors import FieldError, InvalidInput

__all__ = [
    "AUTHORISED_CHANGE_STATES",
    "FINISHED_RELEASE_STATES",
    "MAX_RELEASE_CHANGES",
    "RELEASE_NUMBERS",
    "RELEASE_TRANSITIONS",
    "UNRELEASABLE_CHANGE_STATES",
    "ReleaseState",
    "ReleaseType",
    "check_deployable",
    "check_release_fields",
    "check_release_transition",
    "worst_state",
]


class ReleaseType(Enum):
    MAJOR = "MAJOR"
    MINOR = "MINOR"
    EMERGENCY = "EMERGENCY"


class ReleaseState(Enum):
    PLANNING = "PLANNING"
    BUILD = "BUILD"
    TEST = "TEST"
    DEPLOY = "DEPLOY"
    CLOSED = "CLOSED"
    ROLLED_BACK = "ROLLED_BACK"


RELEASE_TRANSITIONS: Mapping[ReleaseState, tuple[ReleaseState, ...]] = {
    ReleaseState.PLANNING: (ReleaseState.BUILD,),
    ReleaseState.BUILD: (ReleaseState.TEST, ReleaseState.PLANNING),
    ReleaseState.TEST: (ReleaseState.DEPLOY, ReleaseState.BUILD),
    ReleaseState.DEPLOY: (ReleaseState.CLOSED, ReleaseState.ROLLED_BACK),
    ReleaseState.CLOSED: (),
    ReleaseState.ROLLED_BACK: (),
}
"""Every allowed transition: forward one step, back one step to rework before deployment, and
from DEPLOY either CLOSED or ROLLED_BACK."""

RELEASE_NUMBERS = "REL"
"""The prefix and the sequence of release numbers: REL0001001 upward."""

FINISHED_RELEASE_STATES = (ReleaseState.CLOSED, ReleaseState.ROLLED_BACK)
"""A release in these states is history: its changes and fields no longer move."""

AUTHORISED_CHANGE_STATES = (
    ChangeState.SCHEDULED,
    ChangeState.IMPLEMENT,
    ChangeState.REVIEW,
    ChangeState.CLOSED,
)
"""A change in these states has been authorised (by the CAB, or, for a standard change, by
being pre-authorised and scheduled): a release may deploy it."""

UNRELEASABLE_CHANGE_STATES = (ChangeState.CANCELLED, ChangeState.REJECTED)
"""Changes that will never be implemented: no release takes them."""

MAX_RELEASE_CHANGES = 200
"""The most changes one write may add to a release."""

MAX_NAME = 200
MAX_VERSION = 50
MAX_TEXT = 10_000


def check_release_transition(state: ReleaseState, to: ReleaseState, field: str = "to") -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when `state` -> `to` is not allowed,
    naming the allowed ones."""
    check_move("a release", RELEASE_TRANSITIONS, state, to, field)


def check_deployable(changes: Sequence[tuple[str, ChangeState]], field: str = "to") -> None:
    """Raises `InvalidInput` (INVALID_TRANSITION) naming every change (number, state) that is
    not authorised: a release deploys only authorised changes."""
    pending = [(n, s) for n, s in changes if s not in AUTHORISED_CHANGE_STATES]
    if pending:
        listed = ", ".join(f"{n} ({s.value})" for n, s in pending)
        message = (
            f"a release cannot enter DEPLOY while a change is not authorised: {listed}; "
            "authorise or remove them first"
        )
        raise InvalidInput([FieldError(field, message, "INVALID_TRANSITION")])


def check_release_fields(
    *,
    name: str | None,
    version: str | None,
    planned_start: datetime | None,
    planned_end: datetime | None,
    texts: Mapping[str, str | None],
) -> None:
    """Raises `InvalidInput` naming every field that breaks a rule: a name (at most 200
    characters) and a version (at most 50) that are not blank, times with a time zone, the
    planned end after the planned start, texts of at most 10,000 characters."""
    errors: list[FieldError] = []
    for field, value, limit in (("name", name, MAX_NAME), ("version", version, MAX_VERSION)):
        if not (value or "").strip():
            errors.append(FieldError(field, f"a release needs a {field}", "REQUIRED"))
        elif len(value or "") > limit:
            message = f"{field} holds at most {limit} characters, got {len(value or '')}"
            errors.append(FieldError(field, message, "TOO_LONG"))
    for field, moment in (("plannedStart", planned_start), ("plannedEnd", planned_end)):
        if moment is not None and moment.tzinfo is None:
            message = "give a time zone (e.g. Z or +01:00)"
            errors.append(FieldError(field, message, "INVALID_FORMAT"))
    if (
        planned_start is not None
        and planned_end is not None
        and planned_start.tzinfo is not None
        and planned_end.tzinfo is not None
        and planned_end <= planned_start
    ):
        errors.append(
            FieldError("plannedEnd", "the planned end must be after the start", "INVALID_VALUE")
        )
    for field, text in texts.items():
        if text is not None and len(text) > MAX_TEXT:
            message = f"{field} holds at most {MAX_TEXT} characters, got {len(text)}"
            errors.append(FieldError(field, message, "TOO_LONG"))
    if errors:
        raise InvalidInput(errors)


def worst_state(states: Sequence[State]) -> State:
    """The most severe of `states` (DOWN over DEGRADED over OPERATIONAL); OPERATIONAL for
    none."""
    return max(states, key=lambda s: s.severity, default=State.OPERATIONAL)
