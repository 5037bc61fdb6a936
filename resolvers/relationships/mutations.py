"""Relationship mutations: `relateCIs`, `unrelateCIs`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._errors import UserError, payload
from resolvers.relationships.inputs import RelateCIsInput, UnrelateCIsInput
from resolvers.relationships.types import Relationship, to_relationship

__all__ = ["RelateCIsPayload", "RelationshipMutation", "UnrelateCIsPayload"]


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
class RelationshipMutation:
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
