"""GraphQL types for problems and the known error database (docs/concepts.md, "Problem
management"; docs/api.md, "Problems and known errors")."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import problems
from graph.domain import ProblemState
from resolvers._context import Context
from resolvers._pagination import CountedConnection, Edge
from resolvers.cis.history import AuditEventConnection, history_page
from resolvers.cis.types import ConfigurationItem, Node, to_graphql

__all__ = [
    "Problem",
    "ProblemConnection",
    "ProblemEdge",
    "ProblemSuggestion",
    "ProblemTransition",
    "to_problem",
    "to_suggestion",
]


@strawberry.type(description="One move of a problem from a state to the next: who, when, why.")
class ProblemTransition:
    from_state: ProblemState = strawberry.field(name="from")
    to_state: ProblemState = strawberry.field(name="to")
    at: datetime
    actor: str
    note: str | None


@strawberry.type(
    description="A problem: the unknown (or known) cause of one or more incidents. In state "
    "KNOWN_ERROR it is part of the known error database, with a workaround."
)
class Problem(Node):
    id: strawberry.ID
    number: str = strawberry.field(description="PRB0001001 upward; unique, never reused.")
    title: str
    description: str | None
    state: ProblemState
    workaround: str | None = strawberry.field(
        description="What restores service until the root cause is fixed."
    )
    known_error: bool = strawberry.field(description="Whether the state is KNOWN_ERROR.")
    incident_numbers: list[str] = strawberry.field(
        description="The incidents this problem groups, ascending; "
        "`incidents(filter: {problemNumber})` lists them."
    )
    opened_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = strawberry.field(description="When it entered RESOLVED.")
    closed_at: datetime | None = strawberry.field(description="When it entered CLOSED.")
    created_by: str
    updated_by: str
    version: int = strawberry.field(
        description="Increases with every change (optimistic locking of updateProblem)."
    )
    transitions: list[ProblemTransition] = strawberry.field(description="Oldest first.")
    root_cause_ci_id: strawberry.Private[str | None]

    @strawberry.field(description="The CI at the root of the problem, when known.")
    async def root_cause(self, info: Info[Context, None]) -> ConfigurationItem | None:
        if self.root_cause_ci_id is None:
            return None
        found = await info.context.ci_loader.load(self.root_cause_ci_id)
        return to_graphql(found) if found else None

    @strawberry.field(description="Changes to this problem, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        return await history_page(info, str(self.id), first, after, record=True)


@strawberry.type
class ProblemEdge(Edge[Problem]):
    pass


@strawberry.type(description="A page of problems.")
class ProblemConnection(CountedConnection[ProblemEdge]):
    pass


@strawberry.type(
    description="A CI with recurring incidents: a candidate root cause for a proactive problem."
)
class ProblemSuggestion:
    incident_count: int = strawberry.field(description="How many incidents in the window.")
    incident_numbers: list[str] = strawberry.field(description="The incidents, ascending.")
    open_problem: Problem | None = strawberry.field(
        description="The open problem (NEW, ROOT_CAUSE_ANALYSIS or KNOWN_ERROR) that already "
        "has this CI as root cause, if any."
    )
    ci_id: strawberry.Private[str]

    @strawberry.field(description="The CI the incidents affect.")
    async def ci(self, info: Info[Context, None]) -> ConfigurationItem:
        found = await info.context.ci_loader.load(self.ci_id)
        if found is None:  # CIs are retired, never deleted: this is a fault, not a refusal
            raise LookupError(f"CI {self.ci_id} of a suggestion vanished")
        return to_graphql(found)


def to_problem(problem: problems.Problem) -> Problem:
    return Problem(
        id=strawberry.ID(problem.id),
        number=problem.number,
        title=problem.title,
        description=problem.description,
        state=problem.state,
        workaround=problem.workaround,
        known_error=problem.known_error,
        incident_numbers=list(problem.incident_numbers),
        opened_at=problem.opened_at,
        updated_at=problem.updated_at,
        resolved_at=problem.resolved_at,
        closed_at=problem.closed_at,
        created_by=problem.created_by,
        updated_by=problem.updated_by,
        version=problem.version,
        transitions=[
            ProblemTransition(
                from_state=t.from_state, to_state=t.to_state, at=t.at, actor=t.actor, note=t.note
            )
            for t in problem.transitions
        ],
        root_cause_ci_id=problem.root_cause_ci_id,
    )


def to_suggestion(suggestion: problems.ProblemSuggestion) -> ProblemSuggestion:
    return ProblemSuggestion(
        incident_count=suggestion.incident_count,
        incident_numbers=list(suggestion.incident_numbers),
        open_problem=to_problem(suggestion.open_problem) if suggestion.open_problem else None,
        ci_id=suggestion.ci_id,
    )
