"""The GraphQL shape of an API token: its metadata, never its secret."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph import tokens
from graph.access import Role
from resolvers._errors import UserError

__all__ = ["ApiToken", "CreateApiTokenPayload", "RevokeApiTokenPayload", "to_api_token"]


@strawberry.type(description="An API token's metadata; its secret is shown once, at creation.")
class ApiToken:
    id: strawberry.ID
    name: str
    roles: list[Role]
    prefix: str = strawberry.field(description="The secret's first characters, to recognise it.")
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    revoked_by: str | None


def to_api_token(token: tokens.ApiToken) -> ApiToken:
    return ApiToken(
        id=strawberry.ID(token.id),
        name=token.name,
        roles=list(token.roles),
        prefix=token.prefix,
        created_at=token.created_at,
        created_by=token.created_by,
        revoked_at=token.revoked_at,
        revoked_by=token.revoked_by,
    )


@strawberry.type
class CreateApiTokenPayload:
    token: ApiToken | None
    secret: str | None = strawberry.field(
        description="The bearer secret: shown this once, stored only as a hash."
    )
    errors: list[UserError]


@strawberry.type
class RevokeApiTokenPayload:
    token: ApiToken | None
    errors: list[UserError]
