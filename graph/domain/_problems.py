"""The words and rules of problem management (docs/concepts.md, "Problem management"): the
states of a problem and the only transitions allowed between them, what a known error needs,
the bounds of a problem's texts and of the questions of proactive problem management. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from graph.domain._states import check_move
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_PROBLEM_INCIDENTS",
    "MAX_PROBLEM_TEXT",
    "MAX_PROBLEM_TITLE",
    "MAX_SUGGESTION_DAYS",
    "MAX_SUGGESTION_INCIDENTS",
    "OPEN_PROBLEM_STATES",
    "PROBLEM_NUMBERS",
    "PROBLEM_TRANSITIONS",
    "ProblemState",
    "check_known_error",
    "check_problem_incidents",
    "check_problem_texts",
    "check_problem_transition",
    "check_suggestion_window",
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
    check_move("a problem", PROBLEM_TRANSITIONS, state, to, field)


OPEN_PROBLEM_STATES = (
    ProblemState.NEW,
    ProblemState.ROOT_CAUSE_ANALYSIS,
    ProblemState.KNOWN_ERROR,
)
"""The states in which a problem is still being worked on: its root cause is not fixed yet."""

MAX_PROBLEM_TITLE = 200
MAX_PROBLEM_TEXT = 10_000
"""The longest description, workaround or transition note."""
MAX_PROBLEM_INCIDENTS = 100
"""The most incidents one write may group under a problem."""
MAX_SUGGESTION_INCIDENTS = 1000
MAX_SUGGESTION_DAYS = 365


def check_problem_texts(
    *,
    title: str | None = None,
    description: str | None = None,
    workaround: str | None = None,
    note: str | None = None,
    title_given: bool = False,
) -> None:
    """Raises `InvalidInput` naming every text that breaks a rule: a given title must not be
    blank and holds at most `MAX_PROBLEM_TITLE` characters; a description, workaround or note
    at most `MAX_PROBLEM_TEXT`."""
    errors: list[FieldError] = []
    if title_given and not (title or "").strip():
        errors.append(FieldError("title", "a problem needs a title", "REQUIRED"))
    for name, value, limit in (
        ("title", title, MAX_PROBLEM_TITLE),
        ("description", description, MAX_PROBLEM_TEXT),
        ("workaround", workaround, MAX_PROBLEM_TEXT),
        ("note", note, MAX_PROBLEM_TEXT),
    ):
        if value is not None and len(value) > limit:
            errors.append(
                FieldError(
                    name, f"{name} holds at most {limit} characters, got {len(value)}", "TOO_LONG"
                )
            )
    if errors:
        raise InvalidInput(errors)


def check_problem_incidents(numbers: Sequence[str], field: str = "incidentNumbers") -> None:
    """Raises `InvalidInput` when more than `MAX_PROBLEM_INCIDENTS` incidents are given at once,
    or one of them twice."""
    if len(numbers) > MAX_PROBLEM_INCIDENTS:
        message = f"at most {MAX_PROBLEM_INCIDENTS} incidents at once, got {len(numbers)}"
        raise InvalidInput([FieldError(field, message, "OUT_OF_RANGE")])
    seen: set[str] = set()
    for index, number in enumerate(numbers):
        if number in seen:
            message = f"{number} is given twice"
            raise InvalidInput([FieldError(f"{field}[{index}]", message, "INVALID_VALUE")])
        seen.add(number)


def check_known_error(to: ProblemState, workaround: str | None) -> None:
    """Raises `InvalidInput` (code REQUIRED, field `workaround`) when a problem would enter or
    stay in KNOWN_ERROR without a workaround: a known error is one whose workaround the service
    desk can apply."""
    if to is ProblemState.KNOWN_ERROR and not (workaround or "").strip():
        message = "a known error needs a workaround: set the problem's workaround first"
        raise InvalidInput([FieldError("workaround", message, "REQUIRED")])


def check_suggestion_window(min_incidents: int, days: int) -> None:
    """Raises `InvalidInput` naming each of `minIncidents` (2 .. 1000) and `days` (1 .. 365)
    that is out of bounds."""
    errors = [
        FieldError(name, f"must be between {low} and {high}, got {value}", "OUT_OF_RANGE")
        for name, value, low, high in (
            ("minIncidents", min_incidents, 2, MAX_SUGGESTION_INCIDENTS),
            ("days", days, 1, MAX_SUGGESTION_DAYS),
        )
        if not low <= value <= high
    ]
    if errors:
        raise InvalidInput(errors)
