"""Release mutations: `createRelease`, `updateRelease`, `addChangesToRelease`,
`removeChangeFromRelease`, `transitionRelease`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError
from resolvers.releases.answers import record_number, release_payload
from resolvers.releases.inputs import (
    AddChangesToReleaseInput,
    CreateReleaseInput,
    RemoveChangeFromReleaseInput,
    TransitionReleaseInput,
    UpdateReleaseInput,
)
from resolvers.releases.types import Release

__all__ = [
    "AddChangesToReleasePayload",
    "CreateReleasePayload",
    "ReleaseMutation",
    "RemoveChangeFromReleasePayload",
    "TransitionReleasePayload",
    "UpdateReleasePayload",
]


@strawberry.type
class CreateReleasePayload:
    release: Release | None = strawberry.field(description="The new release; null if refused.")
    errors: list[UserError] = strawberry.field(description="Empty when it was created.")


@strawberry.type
class UpdateReleasePayload:
    release: Release | None
    errors: list[UserError]


@strawberry.type
class AddChangesToReleasePayload:
    release: Release | None
    errors: list[UserError]


@strawberry.type
class RemoveChangeFromReleasePayload:
    release: Release | None
    errors: list[UserError]


@strawberry.type
class TransitionReleasePayload:
    release: Release | None
    errors: list[UserError]


@strawberry.type
class ReleaseMutation:
    @strawberry.mutation(
        description="Creates a release in PLANNING (REL0001001 upward) bundling changes; "
        "refused whole on bad input or a change another release holds."
    )
    async def create_release(
        self, info: Info[Context, None], input: CreateReleaseInput
    ) -> CreateReleasePayload:
        work = info.context.repositories.releases.create(input.to_new(), info.context.actor)
        return await release_payload(work, CreateReleasePayload)

    @strawberry.mutation(description="Changes a release that is not finished.")
    async def update_release(
        self, info: Info[Context, None], input: UpdateReleaseInput
    ) -> UpdateReleasePayload:
        work = info.context.repositories.releases.update(
            record_number(input.number),
            input.expected_revision,
            input.to_patch(),
            info.context.actor,
        )
        return await release_payload(work, UpdateReleasePayload)

    @strawberry.mutation(
        description="Adds changes to a release; a change another release holds is a CONFLICT "
        "naming that release."
    )
    async def add_changes_to_release(
        self, info: Info[Context, None], input: AddChangesToReleaseInput
    ) -> AddChangesToReleasePayload:
        work = info.context.repositories.releases.add_changes(
            record_number(input.number), input.change_numbers, info.context.actor
        )
        return await release_payload(work, AddChangesToReleasePayload)

    @strawberry.mutation(description="Takes a change out of a release.")
    async def remove_change_from_release(
        self, info: Info[Context, None], input: RemoveChangeFromReleaseInput
    ) -> RemoveChangeFromReleasePayload:
        work = info.context.repositories.releases.remove_change(
            record_number(input.number), input.change_number, info.context.actor
        )
        return await release_payload(work, RemoveChangeFromReleasePayload)

    @strawberry.mutation(
        description="Moves a release to another state; a refused transition names the allowed "
        "ones, and DEPLOY is refused while a change is not authorised, naming them."
    )
    async def transition_release(
        self, info: Info[Context, None], input: TransitionReleaseInput
    ) -> TransitionReleasePayload:
        work = info.context.repositories.releases.transition(
            record_number(input.number), input.to, info.context.actor, input.note
        )
        return await release_payload(work, TransitionReleasePayload)
