"""Idempotency keys (docs/api.md, "Idempotent mutations"): the first request with a key claims
it, runs, and stores its response on it; a later request with the same key and principal gets
that response instead of running again.

The claim is a `MERGE` on the key's scope (principal and key) under a uniqueness constraint
(migration V0015), so of two requests at the same time exactly one claims it: the other waits
for the first one's response. A claim is released when its request fails with a server fault
(nothing was written, or the write's outcome is unknown to the client anyway), so that a retry
can run. A key expires `ttl` after its claim; expired keys are purged by later claims.

A request that dies mid-way (its process killed, Neo4j gone before it could release) leaves its
claim behind. So a claim is a lease: it names its owner (host and process) and lasts `lease`
(a little over the request's time budget). Every write transaction the request runs marks the
key committed in that same transaction (`marking`), after taking the key's lock and checking that
the claim is still its own (else the write rolls back). So once the lease has run out, a retry
with the key either takes it over (nothing of the first request committed: it runs) or learns
that the first request committed and its response was lost (COMMITTED): never both, never run
twice.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._write_marks import marking
from graph._writes import lock
from graph.errors import GraphUnavailable

__all__ = ["Claim", "ClaimState", "IdempotencyRepository", "StoredResponse"]

STATE: LiteralString = """
RETURN k.token = $token AS mine, takeOver AS takenOver, k.fingerprint AS fingerprint,
    k.status AS status, k.body AS body, k.contentType AS contentType,
    k.committedAt IS NOT NULL AS committed,
    coalesce(k.leaseUntil, k.expiresAt) <= datetime($now) AS leaseOver,
    k.takenOverFrom AS takenOverFrom
"""

PURGE_BATCH = 100
"""Expired keys one claim purges, besides its own."""

CLAIM: LiteralString = (
    """
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
    k.claimedAt = datetime($now), k.expiresAt = datetime($expiresAt),
    k.leaseUntil = datetime($leaseUntil), k.owner = $owner
"""
    + lock("k")
    + """
WITH k, k.token <> $token AND k.status IS NULL AND k.committedAt IS NULL
    AND k.fingerprint = $fingerprint
    AND coalesce(k.leaseUntil, k.expiresAt) <= datetime($now) AS takeOver
SET k.takenOverFrom = CASE WHEN takeOver THEN k.owner ELSE k.takenOverFrom END,
    k.token = CASE WHEN takeOver THEN $token ELSE k.token END,
    k.owner = CASE WHEN takeOver THEN $owner ELSE k.owner END,
    k.leaseUntil = CASE WHEN takeOver THEN datetime($leaseUntil) ELSE k.leaseUntil END
"""
    + STATE
)

READ: LiteralString = (
    """
MATCH (k:IdempotencyKey {scope: $scope}) WHERE k.expiresAt > datetime($now)
WITH k, false AS takeOver
"""
    + STATE
)

MARK: LiteralString = (
    """
MATCH (k:IdempotencyKey {scope: $scope})
"""
    + lock("k")
    + """
WITH k WHERE k.token = $token
SET k.committedAt = coalesce(k.committedAt, datetime($now))
RETURN count(k) AS marked
"""
)

COMPLETE: LiteralString = """
MATCH (k:IdempotencyKey {scope: $scope, token: $token})
SET k.status = $status, k.body = $body, k.contentType = $contentType
"""

# A claim whose request committed something is kept (its lease ended now): a retry learns that.
RELEASE: LiteralString = """
MATCH (k:IdempotencyKey {scope: $scope, token: $token}) WHERE k.status IS NULL
SET k.leaseUntil = datetime($now)
WITH k WHERE k.committedAt IS NULL
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
    """The key is no longer claimed (its request failed, or it expired), or its request died
    before it committed anything (its lease ran out): claim it again."""
    COMMITTED = "COMMITTED"
    """An earlier request with this key committed its write, but ended without storing its
    response (its process died, or it failed after the commit): the write stands, once."""


@dataclass(frozen=True)
class Claim:
    state: ClaimState
    response: StoredResponse | None = None
    taken_over_from: str | None = None
    """With MINE: the owner of the claim that this one took over, whose lease had run out."""


def _claim(rows: list[dict[str, Any]], fingerprint: str) -> Claim:
    if not rows:
        return Claim(ClaimState.GONE)
    [row] = rows
    if row["mine"]:
        return Claim(
            ClaimState.MINE, taken_over_from=row["takenOverFrom"] if row["takenOver"] else None
        )
    if row["fingerprint"] != fingerprint:
        return Claim(ClaimState.MISMATCH)
    if row["status"] is None:
        if not row["leaseOver"]:
            return Claim(ClaimState.PENDING)
        return Claim(ClaimState.COMMITTED if row["committed"] else ClaimState.GONE)
    body = str(row["body"]).encode()
    return Claim(ClaimState.DONE, StoredResponse(int(row["status"]), body, row["contentType"]))


def _scope(principal: str, key: str) -> str:
    return f"{len(principal)}:{principal}:{key}"


class ClaimLost(GraphUnavailable):
    """The request's claim was taken over by a retry (its lease ran out): its write is rolled
    back, the retry's outcome stands."""


def owner() -> str:
    """Who holds a claim: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


class IdempotencyRepository:
    def __init__(
        self, db: Database, clock: Clock, ttl: timedelta, lease: timedelta = timedelta(minutes=1)
    ) -> None:
        self._db = db
        self._clock = clock
        self.ttl = ttl
        self.lease = lease

    @contextmanager
    def marking(self, principal: str, key: str, token: str) -> Iterator[None]:
        """Within the block, every write transaction marks the key committed (or rolls back
        with `ClaimLost` when the claim is no longer `token`'s)."""
        scope = _scope(principal, key)

        async def mark(tx: AsyncManagedTransaction) -> None:
            result = await tx.run(MARK, scope=scope, token=token, now=self._clock.now().isoformat())
            record = await result.single()
            if record is None or record["marked"] == 0:
                raise ClaimLost(
                    f"Idempotency-Key {key!r} was taken over by a retry: this write rolls back"
                )

        with marking(mark):
            yield

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
            leaseUntil=(now + self.lease).isoformat(),
            owner=owner(),
            purge=PURGE_BATCH,
        )
        return _claim(rows, fingerprint)

    async def look(self, principal: str, key: str, fingerprint: str) -> Claim:
        """The key's claim now (never MINE). One round trip."""
        rows = await self._db.read_rows(
            "idempotency.read",
            READ,
            scope=_scope(principal, key),
            token="",
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
        """Gives up the claim (a server fault): a retry with the key runs, unless a write of
        the request committed (then a retry is answered COMMITTED). One round trip."""
        await self._db.write_rows(
            "idempotency.release",
            RELEASE,
            scope=_scope(principal, key),
            token=token,
            now=self._clock.now().isoformat(),
        )
