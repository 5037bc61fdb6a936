"""CI and relationship mutations: `createCI`, `updateCI`, `retireCI`, `relateCIs`,
`unrelateCIs`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.cis.inputs import (
    CreateCIInput,
    RelateCIsInput,
    RetireCIInput,
    UnrelateCIsInput,
    UpdateCIInput,
)
from resolvers.cis.types import ConfigurationItem, Relationship, to_graphql, to_relationship

__all__ = [
    "CIMutation",
    "CreateCIPayload",
    "RelateCIsPayload",
    "RetireCIPayload",
    "UnrelateCIsPayload",
    "UpdateCIPayload",
]


@strawberry.type
class CreateCIPayload:
    ci: ConfigurationItem | None = strawberry.field(description="The new CI; null when refused.")
    errors: list[UserError] = strawberry.field(description="Empty when the CI was created.")


@strawberry.type
class UpdateCIPayload:
    ci: ConfigurationItem | None = strawberry.field(description="The CI after the update.")
    errors: list[UserError]


@strawberry.type
class RetireCIPayload:
    ci: ConfigurationItem | None
    errors: list[UserError]


@strawberry.type
class RelateCIsPayload:
    relationship: Relationship | None
    created: bool = strawberry.field(
        description="False when the edge existed: it was confirmed (lastConfirmedAt) instead."
    )
    errors: list[UserError]


@strawberry.type
class UnrelateCIsPayload:
    relationship: Relationship | None = strawberry.field(
        description="The closed edge, with its validTo."
    )
    errors: list[UserError]


@strawberry.type
class CIMutation:
    @strawberry.mutation(name="createCI", description="Creates a CI; refused whole on bad input.")
    async def create_ci(self, info: Info[Context, None], input: CreateCIInput) -> CreateCIPayload:
        return await payload(
            info.context.repositories.cis.create(input.to_new_ci(), info.context.actor),
            done=lambda ci: CreateCIPayload(ci=to_graphql(ci), errors=[]),
            refused=lambda errors: CreateCIPayload(ci=None, errors=errors),
        )

    @strawberry.mutation(
        name="updateCI", description="Changes a CI, guarded by optimistic locking."
    )
    async def update_ci(self, info: Info[Context, None], input: UpdateCIInput) -> UpdateCIPayload:
        return await payload(
            info.context.repositories.cis.update(
                str(input.id), input.expected_version, input.to_patch(), info.context.actor
            ),
            done=lambda ci: UpdateCIPayload(ci=to_graphql(ci), errors=[]),
            refused=lambda errors: UpdateCIPayload(ci=None, errors=errors),
        )

    @strawberry.mutation(
        name="retireCI",
        description="Retires a CI: a state, not a delete; history and relationships stay.",
    )
    async def retire_ci(self, info: Info[Context, None], input: RetireCIInput) -> RetireCIPayload:
        return await payload(
            info.context.repositories.cis.retire(
                str(input.id), input.expected_version, info.context.actor
            ),
            done=lambda ci: RetireCIPayload(ci=to_graphql(ci), errors=[]),
            refused=lambda errors: RetireCIPayload(ci=None, errors=errors),
        )

    @strawberry.mutation(
        name="relateCIs",
        description="Adds a dependency edge, or confirms it again when it exists.",
    )
    async def relate_cis(
        self, info: Info[Context, None], input: RelateCIsInput
    ) -> RelateCIsPayload:
        return await payload(
            info.context.repositories.relationships.relate(input.to_new(), info.context.actor),
            done=lambda outcome: RelateCIsPayload(
                relationship=to_relationship(outcome.relationship),
                created=outcome.created,
                errors=[],
            ),
            refused=lambda errors: RelateCIsPayload(
                relationship=None, created=False, errors=errors
            ),
        )

    @strawberry.mutation(
        name="unrelateCIs",
        description="Ends a dependency edge; it stays readable as past structure.",
    )
    async def unrelate_cis(
        self, info: Info[Context, None], input: UnrelateCIsInput
    ) -> UnrelateCIsPayload:
        return await payload(
            info.context.repositories.relationships.unrelate(
                str(input.from_id), str(input.to_id), input.type, info.context.actor
            ),
            done=lambda edge: UnrelateCIsPayload(relationship=to_relationship(edge), errors=[]),
            refused=lambda errors: UnrelateCIsPayload(relationship=None, errors=errors),
        )
