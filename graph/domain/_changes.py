"""The words and rules of change enablement (docs/concepts.md, "Change enablement"): the types
of change, their states and the only transitions each type allows, and the outcomes of a
review. Pure: the repository that stores changes is `graph/changes/`."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from graph.domain._states import check_move

__all__ = [
    "ACTIVE_CHANGE_STATES",
    "CHANGE_NUMBERS",
    "CHANGE_TRANSITIONS",
    "ChangeOutcome",
    "ChangeState",
    "ChangeType",
    "check_change_transition",
]


class ChangeType(Enum):
    STANDARD = "STANDARD"
    """Pre-authorised, low risk, repeatable: scheduled after assessment without approval."""
    NORMAL = "NORMAL"
    """Assessed, then authorised by the change advisory board (CAB)."""
    EMERGENCY = "EMERGENCY"
    """Expedited: authorised by an emergency CAB, and may be implemented at once."""


class ChangeState(Enum):
    DRAFT = "DRAFT"
    ASSESS = "ASSESS"
    AUTHORIZE = "AUTHORIZE"
    SCHEDULED = "SCHEDULED"
    IMPLEMENT = "IMPLEMENT"
    REVIEW = "REVIEW"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class ChangeOutcome(Enum):
    """How an implemented change went, recorded at its review."""

    SUCCESSFUL = "SUCCESSFUL"
    SUCCESSFUL_WITH_ISSUES = "SUCCESSFUL_WITH_ISSUES"
    FAILED = "FAILED"
    BACKED_OUT = "BACKED_OUT"


_S = ChangeState
_COMMON: dict[ChangeState, tuple[ChangeState, ...]] = {
    _S.DRAFT: (_S.ASSESS, _S.CANCELLED),
    _S.SCHEDULED: (_S.IMPLEMENT, _S.ASSESS, _S.CANCELLED),
    _S.IMPLEMENT: (_S.REVIEW,),
    _S.REVIEW: (_S.CLOSED,),
    _S.CLOSED: (),
    _S.REJECTED: (),
    _S.CANCELLED: (),
}

CHANGE_TRANSITIONS: Mapping[ChangeType, Mapping[ChangeState, tuple[ChangeState, ...]]] = {
    # Pre-authorised: assessed, then scheduled without approval.
    ChangeType.STANDARD: {
        **_COMMON,
        _S.ASSESS: (_S.SCHEDULED, _S.CANCELLED),
        _S.AUTHORIZE: (),
    },
    # Assessed, then authorised by the CAB: AUTHORIZE -> SCHEDULED once the approvals are in
    # (approveChange moves it), REJECTED when the CAB rejects it (rejectChange).
    ChangeType.NORMAL: {
        **_COMMON,
        _S.ASSESS: (_S.AUTHORIZE, _S.CANCELLED),
        _S.AUTHORIZE: (_S.ASSESS, _S.CANCELLED),
    },
    # Authorised by the emergency CAB, then implemented at once or scheduled.
    ChangeType.EMERGENCY: {
        **_COMMON,
        _S.ASSESS: (_S.AUTHORIZE, _S.CANCELLED),
        _S.AUTHORIZE: (_S.ASSESS, _S.CANCELLED),
    },
}
"""Every transition `transitionChange` allows per type, and no other. AUTHORIZE is left by the
CAB's decision (`approveChange` to SCHEDULED, or IMPLEMENT for an emergency change approved
for at once; `rejectChange` to REJECTED), or back to ASSESS (to reschedule) or CANCELLED.
SCHEDULED -> ASSESS takes a change back for a new window or new targets."""

ACTIVE_CHANGE_STATES = (ChangeState.SCHEDULED, ChangeState.IMPLEMENT)
"""Changes that hold their window: what another change's window collides with."""

CHANGE_NUMBERS = "CHG"
"""The prefix and the sequence of change numbers: CHG0001001 upward."""


def check_change_transition(
    change_type: ChangeType, state: ChangeState, to: ChangeState, field: str = "to"
) -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when a change of `change_type` may not
    go from `state` to `to` by `transitionChange`, naming the allowed ones."""
    check_move(
        f"a {change_type.value.lower()} change", CHANGE_TRANSITIONS[change_type], state, to, field
    )
