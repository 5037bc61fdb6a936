"""Persisted documents (docs/api.md, "Persisted documents"): GraphQL documents kept by the
sha256 hash of their text, so that a client may send the hash instead of the text.

A document is registered by a client (the Apollo `persistedQuery` protocol: the hash with the
text) or by an operator (`cmdb documents add`); only the operator's are *allowed*, which is what
the allow-list mode runs. Registration is a `MERGE` on the hash under a uniqueness constraint
(migration V0016), so parallel registrations of one document write one node, and an operator's
registration of a document clients registered already marks it allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import LiteralString

from graph._clock import Clock
from graph._database import Database

__all__ = ["DocumentRepository", "PersistedDocument", "document_hash"]

REGISTER: LiteralString = """
UNWIND $documents AS doc
MERGE (d:PersistedDocument {hash: doc.hash})
ON CREATE SET d.document = doc.document, d.registeredAt = datetime($now),
    d.registeredBy = $actor, d.allowed = $allowed
WITH d, doc
CALL (d) {
    WITH d WHERE $allowed AND NOT d.allowed
    SET d.allowed = true, d.allowedAt = datetime($now), d.allowedBy = $actor
}
RETURN d.hash AS hash, d.document AS document, d.allowed AS allowed,
    d.registeredAt AS registeredAt, d.registeredBy AS registeredBy
"""

FIND: LiteralString = """
MATCH (d:PersistedDocument {hash: $hash})
RETURN d.hash AS hash, d.document AS document, d.allowed AS allowed,
    d.registeredAt AS registeredAt, d.registeredBy AS registeredBy
"""

LIST_ALLOWED: LiteralString = """
MATCH (d:PersistedDocument) WHERE d.allowed
RETURN d.hash AS hash, d.document AS document, d.allowed AS allowed,
    d.registeredAt AS registeredAt, d.registeredBy AS registeredBy
ORDER BY d.registeredAt, d.hash
"""


def document_hash(document: str) -> str:
    """The sha256 of the document's UTF-8 text, in lowercase hex (the protocol's hash)."""
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass(frozen=True)
class PersistedDocument:
    hash: str
    document: str
    allowed: bool
    """Registered by an operator: runs in the allow-list mode."""
    registered_at: datetime
    registered_by: str


def _document(row: dict[str, object]) -> PersistedDocument:
    registered_at = row["registeredAt"]
    return PersistedDocument(
        hash=str(row["hash"]),
        document=str(row["document"]),
        allowed=bool(row["allowed"]),
        registered_at=registered_at.to_native(),  # type: ignore[attr-defined]
        registered_by=str(row["registeredBy"]),
    )


class DocumentRepository:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def register(
        self, documents: list[str], actor: str, *, allowed: bool
    ) -> list[PersistedDocument]:
        """Registers each document under its hash (allowed when an operator registers it) and
        returns them as stored. One write transaction, one round trip."""
        rows = await self._db.write_rows(
            "documents.register",
            REGISTER,
            documents=[{"hash": document_hash(d), "document": d} for d in documents],
            now=self._clock.now().isoformat(),
            actor=actor,
            allowed=allowed,
        )
        return [_document(row) for row in rows]

    async def find(self, hash: str) -> PersistedDocument | None:
        """The document of `hash`, or None. One round trip."""
        rows = await self._db.read_rows("documents.find", FIND, hash=hash)
        return _document(rows[0]) if rows else None

    async def allowed(self) -> list[PersistedDocument]:
        """Every allowed document, oldest first. One round trip."""
        rows = await self._db.read_rows("documents.allowed", LIST_ALLOWED)
        return [_document(row) for row in rows]
