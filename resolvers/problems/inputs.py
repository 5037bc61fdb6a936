"""GraphQL inputs of the problem mutations and the problem list's filter."""

from __future__ import annotations

from typing import Any

import strawberry

from graph import problems
from graph.cis import OrderDirection
from graph.domain import ProblemState

__all__ = [
    "CreateProblemInput",
    "LinkIncidentsToProblemInput",
    "ProblemFilter",
    "ProblemOrder",
    "TransitionProblemInput",
    "UnlinkIncidentFromProblemInput",
    "UpdateProblemInput",
]


@strawberry.input(
    description="A new problem: reactive when it groups incidents, proactive without any."
)
class CreateProblemInput:
    title: str = strawberry.field(description="Required, at most 200 characters.")
    description: str | None = None
    incident_numbers: list[str] | None = strawberry.field(
        default=None,
        description="Incidents to group (at most 100); none may belong to another problem.",
    )
    root_cause_ci_id: strawberry.ID | None = strawberry.field(
        default=None, description="The CI at the root of the problem, when known."
    )
    workaround: str | None = None

    def to_new(self) -> problems.NewProblem:
        return problems.NewProblem(
            title=self.title,
            description=self.description,
            incident_numbers=tuple(self.incident_numbers or ()),
            root_cause_ci_id=str(self.root_cause_ci_id) if self.root_cause_ci_id else None,
            workaround=self.workaround,
        )


@strawberry.input(
    description=(
        "Changes to a problem. Fields left out keep their value; null clears an optional one. "
        "`expectedVersion` is the version the change was based on: when the problem has moved "
        "on, the update is refused with a CONFLICT error and nothing is written."
    )
)
class UpdateProblemInput:
    number: str
    expected_version: int
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    workaround: str | None = strawberry.field(
        default=strawberry.UNSET, description="A known error's workaround cannot be cleared."
    )
    root_cause_ci_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null: the root cause is not known (any more)."
    )

    def to_patch(self) -> problems.ProblemPatch:
        given: dict[str, Any] = {
            name: getattr(self, name)
            for name in ("title", "description", "workaround")
            if getattr(self, name) is not strawberry.UNSET
        }
        if self.root_cause_ci_id is not strawberry.UNSET:
            ci_id = self.root_cause_ci_id
            given["root_cause_ci_id"] = str(ci_id) if ci_id is not None else None
        return problems.ProblemPatch(**given)


@strawberry.input(description="Moves a problem one step; docs/concepts.md lists the steps.")
class TransitionProblemInput:
    number: str
    to: ProblemState
    note: str | None = strawberry.field(default=None, description="Why; kept on the transition.")


@strawberry.input
class LinkIncidentsToProblemInput:
    number: str
    incident_numbers: list[str] = strawberry.field(
        description="At most 100; those the problem groups already are left as they are."
    )


@strawberry.input
class UnlinkIncidentFromProblemInput:
    number: str
    incident_number: str


@strawberry.input(description="Which problems to list; criteria combine with AND.")
class ProblemFilter:
    states: list[ProblemState] | None = None
    root_cause_ci_id: strawberry.ID | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Lucene text over title, description and workaround; blank does not filter.",
    )

    def to_stored(self) -> problems.ProblemFilter:
        return problems.ProblemFilter(
            states=tuple(self.states or ()),
            root_cause_ci_id=str(self.root_cause_ci_id) if self.root_cause_ci_id else None,
            search=self.search,
        )


@strawberry.input(
    description="The order of `problems`: by opened time (ties by number) or by number; newest "
    "first (DESC) by default."
)
class ProblemOrder:
    field: problems.ProblemOrderField = problems.ProblemOrderField.OPENED_AT
    direction: OrderDirection | None = None

    def to_stored(self) -> problems.ProblemOrder:
        return problems.ProblemOrder(self.field, self.direction is not OrderDirection.ASC)
