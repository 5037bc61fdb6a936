"""Idempotency keys of HTTP requests, claimed under a uniqueness constraint (docs/api.md)."""

from graph.idempotency._repository import (
    Claim,
    ClaimState,
    IdempotencyRepository,
    StoredResponse,
)

__all__ = ["Claim", "ClaimState", "IdempotencyRepository", "StoredResponse"]
