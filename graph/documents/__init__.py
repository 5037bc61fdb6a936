"""Persisted GraphQL documents, one per sha256 hash under a uniqueness constraint (docs/api.md)."""

from graph.documents._repository import (
    DocumentRepository,
    PersistedDocument,
    document_hash,
)

__all__ = ["DocumentRepository", "PersistedDocument", "document_hash"]
