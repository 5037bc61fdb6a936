"""CI mutations: `createCI`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import InvalidInput
from resolvers._context import Context
from resolvers._errors import UserError, user_errors
from resolvers.cis.inputs import CreateCIInput
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["CIMutation", "CreateCIPayload"]


@strawberry.type
class CreateCIPayload:
    ci: ConfigurationItem | None = strawberry.field(description="The new CI; null when refused.")
    errors: list[UserError] = strawberry.field(description="Empty when the CI was created.")


@strawberry.type
class CIMutation:
    @strawberry.mutation(name="createCI", description="Creates a CI; refused whole on bad input.")
    async def create_ci(self, info: Info[Context, None], input: CreateCIInput) -> CreateCIPayload:
        try:
            ci = await info.context.repositories.cis.create(input.to_new_ci(), info.context.actor)
        except InvalidInput as error:
            return CreateCIPayload(ci=None, errors=user_errors(error.errors))
        return CreateCIPayload(ci=to_graphql(ci), errors=[])
