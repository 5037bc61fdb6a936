"""`createApiToken`, `revokeApiToken` (admins only, resolvers/_permissions.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph.access import Role
from resolvers._context import Context
from resolvers._errors import payload
from resolvers.tokens.types import CreateApiTokenPayload, RevokeApiTokenPayload, to_api_token

__all__ = ["CreateApiTokenInput", "RevokeApiTokenInput", "TokenMutation"]


@strawberry.input
class CreateApiTokenInput:
    name: str = strawberry.field(description="Unique among all tokens, revoked ones too.")
    roles: list[Role]


@strawberry.input
class RevokeApiTokenInput:
    id: strawberry.ID


@strawberry.type
class TokenMutation:
    @strawberry.mutation(
        name="createApiToken",
        description="Creates an API token; its secret is in the payload, this once.",
    )
    async def create_api_token(
        self, info: Info[Context, None], input: CreateApiTokenInput
    ) -> CreateApiTokenPayload:
        work = info.context.repositories.tokens.create(input.name, input.roles, info.context.actor)
        return await payload(
            work,
            done=lambda created: CreateApiTokenPayload(
                token=to_api_token(created.token), secret=created.secret, errors=[]
            ),
            refused=lambda errors: CreateApiTokenPayload(token=None, secret=None, errors=errors),
        )

    @strawberry.mutation(
        name="revokeApiToken",
        description="Revokes an API token: refused from the next request on.",
    )
    async def revoke_api_token(
        self, info: Info[Context, None], input: RevokeApiTokenInput
    ) -> RevokeApiTokenPayload:
        work = info.context.repositories.tokens.revoke(str(input.id), info.context.actor)
        return await payload(
            work,
            done=lambda token: RevokeApiTokenPayload(token=to_api_token(token), errors=[]),
            refused=lambda errors: RevokeApiTokenPayload(token=None, errors=errors),
        )
