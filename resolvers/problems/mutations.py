"""Problem mutations: `createProblem`, `updateProblem`, `transitionProblem`,
`linkIncidentsToProblem`, `unlinkIncidentFromProblem`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.problems.inputs import (
    CreateProblemInput,
    LinkIncidentsToProblemInput,
    TransitionProblemInput,
    UnlinkIncidentFromProblemInput,
    UpdateProblemInput,
)
from resolvers.problems.types import Problem, to_problem

__all__ = [
    "CreateProblemPayload",
    "LinkIncidentsToProblemPayload",
    "ProblemMutation",
    "TransitionProblemPayload",
    "UnlinkIncidentFromProblemPayload",
    "UpdateProblemPayload",
]


@strawberry.type
class CreateProblemPayload:
    problem: Problem | None = strawberry.field(description="The new problem; null when refused.")
    errors: list[UserError] = strawberry.field(description="Empty when the problem was created.")


@strawberry.type
class UpdateProblemPayload:
    problem: Problem | None
    errors: list[UserError]


@strawberry.type
class TransitionProblemPayload:
    problem: Problem | None
    errors: list[UserError]


@strawberry.type
class LinkIncidentsToProblemPayload:
    problem: Problem | None
    errors: list[UserError]


@strawberry.type
class UnlinkIncidentFromProblemPayload:
    problem: Problem | None
    errors: list[UserError]


@strawberry.type
class ProblemMutation:
    @strawberry.mutation(
        description="Opens a problem in NEW, grouping the given incidents (reactive) or none "
        "(proactive); refused whole on bad input."
    )
    async def create_problem(
        self, info: Info[Context, None], input: CreateProblemInput
    ) -> CreateProblemPayload:
        return await payload(
            info.context.repositories.problems.create(input.to_new(), info.context.actor),
            done=lambda p: CreateProblemPayload(problem=to_problem(p), errors=[]),
            refused=lambda errors: CreateProblemPayload(problem=None, errors=errors),
        )

    @strawberry.mutation(description="Changes a problem, guarded by optimistic locking.")
    async def update_problem(
        self, info: Info[Context, None], input: UpdateProblemInput
    ) -> UpdateProblemPayload:
        return await payload(
            info.context.repositories.problems.update(
                input.number, input.expected_version, input.to_patch(), info.context.actor
            ),
            done=lambda p: UpdateProblemPayload(problem=to_problem(p), errors=[]),
            refused=lambda errors: UpdateProblemPayload(problem=None, errors=errors),
        )

    @strawberry.mutation(
        description="Moves a problem to the next state; any other move is refused with "
        "INVALID_TRANSITION naming the allowed ones. Entering KNOWN_ERROR needs a workaround."
    )
    async def transition_problem(
        self, info: Info[Context, None], input: TransitionProblemInput
    ) -> TransitionProblemPayload:
        return await payload(
            info.context.repositories.problems.transition(
                input.number, input.to, input.note, info.context.actor
            ),
            done=lambda p: TransitionProblemPayload(problem=to_problem(p), errors=[]),
            refused=lambda errors: TransitionProblemPayload(problem=None, errors=errors),
        )

    @strawberry.mutation(
        description="Groups incidents under a problem; an incident belongs to at most one."
    )
    async def link_incidents_to_problem(
        self, info: Info[Context, None], input: LinkIncidentsToProblemInput
    ) -> LinkIncidentsToProblemPayload:
        return await payload(
            info.context.repositories.problems.link(
                input.number, input.incident_numbers, info.context.actor
            ),
            done=lambda p: LinkIncidentsToProblemPayload(problem=to_problem(p), errors=[]),
            refused=lambda errors: LinkIncidentsToProblemPayload(problem=None, errors=errors),
        )

    @strawberry.mutation(description="Takes an incident out of a problem.")
    async def unlink_incident_from_problem(
        self, info: Info[Context, None], input: UnlinkIncidentFromProblemInput
    ) -> UnlinkIncidentFromProblemPayload:
        return await payload(
            info.context.repositories.problems.unlink(
                input.number, input.incident_number, info.context.actor
            ),
            done=lambda p: UnlinkIncidentFromProblemPayload(problem=to_problem(p), errors=[]),
            refused=lambda errors: UnlinkIncidentFromProblemPayload(problem=None, errors=errors),
        )
