"""The words and rules of release management (docs/concepts.md, "Release management"): the
types and states of a release and the only transitions allowed between them. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from graph.domain._states import check_move

__all__ = [
    "RELEASE_NUMBERS",
    "RELEASE_TRANSITIONS",
    "ReleaseState",
    "ReleaseType",
    "check_release_transition",
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


def check_release_transition(state: ReleaseState, to: ReleaseState, field: str = "to") -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when `state` -> `to` is not allowed,
    naming the allowed ones."""
    check_move("a release", RELEASE_TRANSITIONS, state, to, field)
