"""The API-token repository: create, list, revoke, and find the token of a secret.

A token is an `ApiToken` node. Its id, name and the hash of its secret are each unique under a
constraint (migration V0013): two creations of one name at once make one token, and the other
is refused with a `Conflict`. A revoked token stays, for the audit, with who revoked it and
when; its name stays taken.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._writes import Writes, Written, lock
from graph.access import Role
from graph.errors import Conflict, FieldError, InvalidInput, NotFound
from graph.tokens._model import DISPLAY_CHARS, ApiToken, CreatedToken, hash_secret, new_secret

__all__ = ["MAX_TOKEN_NAME", "TokenRepository"]

MAX_TOKEN_NAME = 100

CREATE_TOKEN = """
CREATE (t:ApiToken {
  id: $id, name: $name, roles: $roles, hash: $hash, prefix: $prefix,
  createdAt: datetime($now), createdBy: $actor
})
RETURN t {.*} AS token
"""

REVOKE_TOKEN = (
    """
MATCH (t:ApiToken {id: $id})
"""
    + lock("t")
    + """
SET t.revokedAt = coalesce(t.revokedAt, datetime($now)),
    t.revokedBy = coalesce(t.revokedBy, $actor)
RETURN t {.*} AS token
"""
)

LIST_TOKENS = """
MATCH (t:ApiToken)
RETURN t {.*} AS token
ORDER BY t.createdAt, t.name
"""

FIND_BY_HASH = """
MATCH (t:ApiToken {hash: $hash})
RETURN t {.*} AS token
"""


def token_from_properties(props: Mapping[str, Any]) -> ApiToken:
    revoked = props.get("revokedAt")
    return ApiToken(
        id=props["id"],
        name=props["name"],
        roles=tuple(Role(role) for role in props["roles"]),
        prefix=props["prefix"],
        created_at=props["createdAt"].to_native(),
        created_by=props["createdBy"],
        revoked_at=revoked.to_native() if revoked is not None else None,
        revoked_by=props.get("revokedBy"),
    )


def _check(name: str, roles: Sequence[Role]) -> None:
    errors = []
    if not name.strip() or len(name) > MAX_TOKEN_NAME:
        message = f"must be 1 to {MAX_TOKEN_NAME} characters, not blank"
        errors.append(FieldError("name", message, "INVALID_VALUE"))
    if not roles:
        errors.append(FieldError("roles", "name at least one role", "REQUIRED"))
    if errors:
        raise InvalidInput(errors)


class TokenRepository:
    def __init__(self, db: Database, writes: Writes, clock: Clock) -> None:
        self._db = db
        self._writes = writes
        self._clock = clock

    async def create(self, name: str, roles: Sequence[Role], actor: str) -> CreatedToken:
        """A new token named `name` with `roles`, and its secret (shown once: only its hash is
        stored). Raises `InvalidInput` for a blank name or no role, `Conflict` when a token of
        that name exists (revoked ones too). One write transaction, one round trip."""
        _check(name, roles)
        secret = new_secret()
        token_id = str(uuid.uuid4())
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[ApiToken]:
            [row] = await self._db.query(
                tx,
                CREATE_TOKEN,
                id=token_id,
                name=name.strip(),
                roles=sorted({role.value for role in roles}),
                hash=hash_secret(secret),
                prefix=secret[:DISPLAY_CHARS],
                now=now.isoformat(),
                actor=actor,
            )
            return Written(token_from_properties(row["token"]))

        try:
            token = await self._writes.write("createApiToken", actor, work, changes_topology=False)
        except Conflict as error:
            message = f"a token named {name.strip()!r} exists already: choose another name"
            raise Conflict(message, field="name") from error
        return CreatedToken(token, secret)

    async def revoke(self, token_id: str, actor: str) -> ApiToken:
        """Revokes the token: refused from the next request on. Revoking a revoked token
        changes nothing (the first revocation's time and actor stay). Raises `NotFound`. One
        write transaction, one round trip."""
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[ApiToken]:
            rows = await self._db.query(
                tx, REVOKE_TOKEN, id=token_id, now=now.isoformat(), actor=actor
            )
            if not rows:
                raise NotFound(f"no API token has the id {token_id}", field="id")
            return Written(token_from_properties(rows[0]["token"]))

        return await self._writes.write("revokeApiToken", actor, work, changes_topology=False)

    async def list(self) -> list[ApiToken]:
        """Every token, revoked ones too, oldest first. One round trip."""
        rows = await self._db.read_rows("listApiTokens", LIST_TOKENS)
        return [token_from_properties(row["token"]) for row in rows]

    async def find(self, secret: str) -> ApiToken | None:
        """The live (unrevoked) token whose secret is `secret`, or None. Looked up by the hash,
        under its unique index; nothing is cached, so a revocation (in any process) counts from
        the next request. One round trip."""
        wanted = hash_secret(secret)
        rows = await self._db.read_rows("findApiToken", FIND_BY_HASH, hash=wanted)
        if not rows or not hmac.compare_digest(rows[0]["token"]["hash"], wanted):
            return None
        token = token_from_properties(rows[0]["token"])
        return None if token.revoked else token
