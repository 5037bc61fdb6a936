"""API tokens in Neo4j: created with a secret shown once, stored hashed, listed, revoked
(docs/security.md)."""

from graph.tokens._model import SECRET_PREFIX, ApiToken, CreatedToken, hash_secret
from graph.tokens._repository import MAX_TOKEN_NAME, TokenRepository

__all__ = [
    "MAX_TOKEN_NAME",
    "SECRET_PREFIX",
    "ApiToken",
    "CreatedToken",
    "TokenRepository",
    "hash_secret",
]
