"""The words and rules of problem management (docs/concepts.md, "Problem management"): the
states of a problem and the only transitions allowed between them. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from graph.errors import FieldError, InvalidInput

__all__ = [
    "PROBLEM_NUMBERS",
    "PROBLEM_TRANSITIONS",
    "ProblemState",
    "check_problem_transition",
]


class ProblemState(Enum):
    NEW = "NEW"
    ROOT_CAUSE_ANALYSIS = "ROOT_CAUSE_ANALYSIS"
    KNOWN_ERROR = "KNOWN_ERROR"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


PROBLEM_TRANSITIONS: Mapping[ProblemState, tuple[ProblemState, ...]] = {
    ProblemState.NEW: (ProblemState.ROOT_CAUSE_ANALYSIS,),
    ProblemState.ROOT_CAUSE_ANALYSIS: (ProblemState.KNOWN_ERROR,),
    ProblemState.KNOWN_ERROR: (ProblemState.RESOLVED,),
    ProblemState.RESOLVED: (ProblemState.CLOSED,),
    ProblemState.CLOSED: (),
}
"""Every allowed transition, and no other: a problem moves forward one step at a time."""

PROBLEM_NUMBERS = "PRB"
"""The prefix and the sequence of problem numbers: PRB0001001 upward."""


def check_problem_transition(state: ProblemState, to: ProblemState, field: str = "to") -> None:
    """Raises `InvalidInput` (code INVALID_TRANSITION) when `state` -> `to` is not allowed,
    naming the allowed ones."""
    allowed = PROBLEM_TRANSITIONS[state]
    if to in allowed:
        return
    names = ", ".join(s.value for s in allowed) or "none: the problem is " + state.value
    raise InvalidInput(
        [
            FieldError(
                field,
                f"a problem cannot go from {state.value} to {to.value}; allowed: {names}",
                "INVALID_TRANSITION",
            )
        ]
    )
