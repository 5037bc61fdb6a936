"""What the problem repository takes and returns: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from graph.domain import ProblemState

__all__ = [
    "UNCHANGED",
    "KnownErrorPage",
    "NewProblem",
    "Problem",
    "ProblemFilter",
    "ProblemPage",
    "ProblemPatch",
    "ProblemSuggestion",
    "Transition",
    "problem_from_projection",
]


class _Unchanged:
    """The value of a patch field that keeps what is stored (None clears it)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class Transition:
    """One move of a problem from a state to the next: who, when, why."""

    seq: int
    from_state: ProblemState
    to_state: ProblemState
    at: datetime
    actor: str
    note: str | None


@dataclass(frozen=True)
class Problem:
    id: str
    number: str
    title: str
    description: str | None
    state: ProblemState
    workaround: str | None
    root_cause_ci_id: str | None
    incident_numbers: tuple[str, ...]
    """The grouped incidents, by number, in ascending order."""
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    created_by: str
    updated_by: str
    version: int
    transitions: tuple[Transition, ...]
    """Oldest first."""

    @property
    def known_error(self) -> bool:
        return self.state is ProblemState.KNOWN_ERROR


@dataclass(frozen=True)
class NewProblem:
    title: str
    description: str | None = None
    incident_numbers: tuple[str, ...] = ()
    root_cause_ci_id: str | None = None
    workaround: str | None = None


@dataclass(frozen=True)
class ProblemPatch:
    """Changes to a problem: fields left UNCHANGED keep their value, None clears one."""

    title: Any = UNCHANGED
    description: Any = UNCHANGED
    workaround: Any = UNCHANGED
    root_cause_ci_id: Any = UNCHANGED


@dataclass(frozen=True)
class ProblemFilter:
    states: tuple[ProblemState, ...] = ()
    root_cause_ci_id: str | None = None
    search: str | None = None
    """Lucene text over title, description and workaround; blank does not filter."""


class ProblemOrderField(Enum):
    OPENED_AT = "OPENED_AT"
    NUMBER = "NUMBER"


@dataclass(frozen=True)
class ProblemOrder:
    """By opened time (ties by number) or by number; newest first by default."""

    field: ProblemOrderField = ProblemOrderField.OPENED_AT
    descending: bool = True


@dataclass(frozen=True)
class ProblemPage:
    items: tuple[Problem, ...]
    has_next: bool
    positions: tuple[tuple[str, str], ...]
    """Each item's position (opened time as text, number): what `page` takes as `after`."""


@dataclass(frozen=True)
class KnownErrorPage:
    items: tuple[Problem, ...]
    has_next: bool
    positions: tuple[tuple[str, str], ...]
    """Each item's position (search score as text, number): what `known_errors` takes as
    `after`."""


@dataclass(frozen=True)
class ProblemSuggestion:
    """A CI with recurring incidents: a candidate root cause for a (proactive) problem."""

    ci_id: str
    incident_numbers: tuple[str, ...]
    """The incidents behind the suggestion, ascending."""
    open_problem: Problem | None
    """The open problem that already has the CI as its root cause, if any."""

    @property
    def incident_count(self) -> int:
        return len(self.incident_numbers)


def _native(value: Any) -> Any:
    return value.to_native() if value is not None and hasattr(value, "to_native") else value


def problem_from_projection(props: dict[str, Any]) -> Problem:
    """A problem from `PROBLEM_PROJECTION` (graph/problems/_cypher.py)."""
    transitions = sorted(
        (
            Transition(
                seq=int(t["seq"]),
                from_state=ProblemState(t["from"]),
                to_state=ProblemState(t["to"]),
                at=_native(t["at"]),
                actor=t["actor"],
                note=t.get("note"),
            )
            for t in props["transitions"]
        ),
        key=lambda t: t.seq,
    )
    return Problem(
        id=props["id"],
        number=props["number"],
        title=props["title"],
        description=props.get("description"),
        state=ProblemState(props["state"]),
        workaround=props.get("workaround"),
        root_cause_ci_id=props.get("rootCauseCiId"),
        incident_numbers=tuple(sorted(props["incidentNumbers"])),
        opened_at=_native(props["openedAt"]),
        updated_at=_native(props["updatedAt"]),
        resolved_at=_native(props.get("resolvedAt")),
        closed_at=_native(props.get("closedAt")),
        created_by=props["createdBy"],
        updated_by=props["updatedBy"],
        version=int(props["version"]),
        transitions=tuple(transitions),
    )
