"""API tokens over GraphQL, for admins: `apiTokens`, `createApiToken`, `revokeApiToken`
(docs/security.md)."""

from resolvers.tokens.mutations import TokenMutation
from resolvers.tokens.queries import TokenQuery

__all__ = ["TokenMutation", "TokenQuery"]
