"""Relationship mutations: `relateCIs`, `unrelateCIs`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph.errors import InvalidInput
from resolvers._context import Context
from resolvers._errors import UserError, user_errors
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
        try:
            outcome = await info.context.repositories.relationships.relate(
                input.to_new(), info.context.actor
            )
        except InvalidInput as error:
            return RelateCIsPayload(
                relationship=None, created=False, errors=user_errors(error.errors)
            )
        return RelateCIsPayload(
            relationship=to_relationship(outcome.relationship), created=outcome.created, errors=[]
        )

    @strawberry.mutation(
        name="unrelateCIs",
        description="Ends a dependency edge; it stays readable as past structure.",
    )
    async def unrelate_cis(
        self, info: Info[Context, None], input: UnrelateCIsInput
    ) -> UnrelateCIsPayload:
        try:
            edge = await info.context.repositories.relationships.unrelate(
                str(input.from_id), str(input.to_id), input.type, info.context.actor
            )
        except InvalidInput as error:
            return UnrelateCIsPayload(relationship=None, errors=user_errors(error.errors))
        return UnrelateCIsPayload(relationship=to_relationship(edge), errors=[])
