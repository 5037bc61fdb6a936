"""Idempotency keys (docs/api.md, "Idempotent mutations"): the first request with a key claims
it, runs, and stores its response on it; a later request with the same key and principal gets
that response instead of running again.

The claim is a `MERGE` on the key's scope (principal and key) under a uniqueness constraint
(migration V0015), so of two requests at the same time exactly one claims it: the other waits
for the first one's response. A claim is released when its request fails with a server fault
(nothing was written, or the write's outcome is unknown to the client anyway), so that a retry
can run. A key expires `ttl` after its claim; expired keys are purged by later claims.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any, LiteralString

from graph._clock import Clock
from graph._database import Database

__all__ = ["Claim", "ClaimState", "IdempotencyRepository", "StoredResponse"]

PURGE_BATCH = 100
"""Expired keys one claim purges, besides its own."""

CLAIM: LiteralString = """
CALL () {
    MATCH (old:IdempotencyKey) WHERE old.expiresAt <= datetime($now)
    WITH old LIMIT $purge
    DELETE old
}
CALL () {
    MATCH (old:IdempotencyKey {scope: $scope}) WHERE old.expiresAt <= datetime($now)
    DELETE old
}
MERGE (k:IdempotencyKey {scope: $scope})
ON CREATE SET k.token = $token, k.fingerprint = $fingerprint, k.principal = $principal,
    k.claimedAt = datetime($now), k.expiresAt = datetime($expiresAt)
RETURN k.token = $token AS mine, k.fingerprint AS fingerprint, k.status AS status,
    k.body AS body, k.contentType AS contentType
"""

READ: LiteralString = """
MATCH (k:IdempotencyKey {scope: $scope}) WHERE k.expiresAt > datetime($now)
RETURN false AS mine, k.fingerprint AS fingerprint, k.status AS status, k.body AS body,
    k.contentType AS contentType
"""

COMPLETE: LiteralString = """
MATCH (k:IdempotencyKey {scope: $scope, token: $token})
SET k.status = $status, k.body = $body, k.contentType = $contentType
"""

RELEASE: LiteralString = """
MATCH (k:IdempotencyKey {scope: $scope, token: $token}) WHERE k.status IS NULL
DELETE k
"""


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes
    content_type: str


class ClaimState(Enum):
    MINE = "MINE"
    """This request claimed the key: it runs, then completes or releases it."""
    DONE = "DONE"
    """An earlier request with this key finished: its response is the answer."""
    PENDING = "PENDING"
    """An earlier request with this key is still running."""
    MISMATCH = "MISMATCH"
    """The key was used for a different request."""
    GONE = "GONE"
    """The key is no longer claimed (its request failed, or it expired): claim it again."""


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    response: StoredResponse | None = None


def _claim(rows: list[dict[str, Any]], fingerprint: str) -> Claim:
    if not rows:
        return Claim(ClaimState.GONE)
    [row] = rows
    if row["mine"]:
        return Claim(ClaimState.MINE)
    if row["fingerprint"] != fingerprint:
        return Claim(ClaimState.MISMATCH)
    if row["status"] is None:
        return Claim(ClaimState.PENDING)
    body = str(row["body"]).encode()
    return Claim(ClaimState.DONE, StoredResponse(int(row["status"]), body, row["contentType"]))


def _scope(principal: str, key: str) -> str:
    return f"{len(principal)}:{principal}:{key}"


class IdempotencyRepository:
    def __init__(self, db: Database, clock: Clock, ttl: timedelta) -> None:
        self._db = db
        self._clock = clock
        self.ttl = ttl

    async def claim(self, principal: str, key: str, fingerprint: str, token: str) -> Claim:
        """Claims `key` for `principal` with `token` unless it is held: MINE, or what the
        holder's claim says. One write transaction, one round trip."""
        now = self._clock.now()
        rows = await self._db.write_rows(
            "idempotency.claim",
            CLAIM,
            scope=_scope(principal, key),
            principal=principal,
            token=token,
            fingerprint=fingerprint,
            now=now.isoformat(),
            expiresAt=(now + self.ttl).isoformat(),
            purge=PURGE_BATCH,
        )
        return _claim(rows, fingerprint)

    async def look(self, principal: str, key: str, fingerprint: str) -> Claim:
        """The key's claim now (never MINE). One round trip."""
        rows = await self._db.read_rows(
            "idempotency.read",
            READ,
            scope=_scope(principal, key),
            now=self._clock.now().isoformat(),
        )
        return _claim(rows, fingerprint)

    async def complete(
        self, principal: str, key: str, token: str, response: StoredResponse
    ) -> None:
        """Stores the response of the request that claimed `key` with `token`. One round
        trip."""
        await self._db.write_rows(
            "idempotency.complete",
            COMPLETE,
            scope=_scope(principal, key),
            token=token,
            status=response.status,
            body=response.body.decode(),
            contentType=response.content_type,
        )

    async def release(self, principal: str, key: str, token: str) -> None:
        """Gives up the claim (a server fault): a retry with the key runs. One round trip."""
        await self._db.write_rows(
            "idempotency.release", RELEASE, scope=_scope(principal, key), token=token
        )
