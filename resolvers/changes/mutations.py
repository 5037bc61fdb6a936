"""Change mutations: `createChange`, `updateChange`, `transitionChange`, the CAB's
`approveChange` and `rejectChange`, and `recomputeImpact`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.changes.answers import change_number, change_payload
from resolvers.changes.inputs import (
    ApproveChangeInput,
    CreateChangeInput,
    RecomputeImpactInput,
    RejectChangeInput,
    TransitionChangeInput,
    UpdateChangeInput,
)
from resolvers.changes.parts import ImpactDifference, to_difference
from resolvers.changes.types import Change, to_change

__all__ = [
    "ApproveChangePayload",
    "ChangeMutation",
    "CreateChangePayload",
    "RecomputeImpactPayload",
    "RejectChangePayload",
    "TransitionChangePayload",
    "UpdateChangePayload",
]


@strawberry.type
class CreateChangePayload:
    change: Change | None = strawberry.field(description="The new change; null if refused.")
    errors: list[UserError] = strawberry.field(description="Empty when it was created.")


@strawberry.type
class UpdateChangePayload:
    change: Change | None
    errors: list[UserError]


@strawberry.type
class TransitionChangePayload:
    change: Change | None
    errors: list[UserError]


@strawberry.type
class ApproveChangePayload:
    change: Change | None
    errors: list[UserError]


@strawberry.type
class RejectChangePayload:
    change: Change | None
    errors: list[UserError]


@strawberry.type
class RecomputeImpactPayload:
    change: Change | None
    difference: ImpactDifference | None = strawberry.field(
        description="What the new snapshot added, removed and changed; null if refused."
    )
    errors: list[UserError]


@strawberry.type
class ChangeMutation:
    @strawberry.mutation(description="Opens a change (DRAFT); refused whole on bad input.")
    async def create_change(
        self, info: Info[Context, None], input: CreateChangeInput
    ) -> CreateChangePayload:
        work = info.context.repositories.changes.create(input.to_new(), info.context.actor)
        return await change_payload(work, CreateChangePayload)

    @strawberry.mutation(description="Changes a change, guarded by optimistic locking.")
    async def update_change(
        self, info: Info[Context, None], input: UpdateChangeInput
    ) -> UpdateChangePayload:
        work = info.context.repositories.changes.update(
            change_number(input.number),
            input.expected_version,
            input.to_patch(),
            info.context.actor,
        )
        return await change_payload(work, UpdateChangePayload)

    @strawberry.mutation(
        description="Moves a change to another state its type allows; a refused transition "
        "names the allowed ones. Entering ASSESS takes the impact snapshot."
    )
    async def transition_change(
        self, info: Info[Context, None], input: TransitionChangeInput
    ) -> TransitionChangePayload:
        work = info.context.repositories.changes.transition(
            change_number(input.number),
            input.to,
            info.context.actor,
            note=input.note,
            outcome=input.outcome,
        )
        return await change_payload(work, TransitionChangePayload)

    @strawberry.mutation(
        description="Records the caller's CAB approval; the approval that reaches the number "
        "required schedules the change (an emergency change with implementNow: implements it)."
    )
    async def approve_change(
        self, info: Info[Context, None], input: ApproveChangeInput
    ) -> ApproveChangePayload:
        work = info.context.repositories.changes.approve(
            change_number(input.number),
            info.context.actor,
            input.comment,
            implement_now=input.implement_now,
        )
        return await change_payload(work, ApproveChangePayload)

    @strawberry.mutation(description="Records the caller's CAB rejection: the change is REJECTED.")
    async def reject_change(
        self, info: Info[Context, None], input: RejectChangeInput
    ) -> RejectChangePayload:
        work = info.context.repositories.changes.reject(
            change_number(input.number), info.context.actor, input.comment
        )
        return await change_payload(work, RejectChangePayload)

    @strawberry.mutation(
        description="Takes the change's impact snapshot again (the topology may have changed) "
        "and says what it added, removed and changed."
    )
    async def recompute_impact(
        self, info: Info[Context, None], input: RecomputeImpactInput
    ) -> RecomputeImpactPayload:
        work = info.context.repositories.changes.recompute_impact(
            change_number(input.number), info.context.actor
        )
        return await payload(
            work,
            done=lambda found: RecomputeImpactPayload(
                change=to_change(found[0]), difference=to_difference(found[1]), errors=[]
            ),
            refused=lambda errors: RecomputeImpactPayload(
                change=None, difference=None, errors=errors
            ),
        )
