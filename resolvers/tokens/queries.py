"""`apiTokens`: every API token's metadata (admins only, resolvers/_permissions.py)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers.tokens.types import ApiToken, to_api_token

__all__ = ["TokenQuery"]


@strawberry.type
class TokenQuery:
    @strawberry.field(description="Every API token, revoked ones too, oldest first; no secrets.")
    async def api_tokens(self, info: Info[Context, None]) -> list[ApiToken]:
        return [to_api_token(t) for t in await info.context.repositories.tokens.list()]
