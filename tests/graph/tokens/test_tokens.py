"""The API-token repository against the session's Neo4j: secrets stored hashed, names unique
under parallel writers, revocation."""

from __future__ import annotations

import asyncio

import pytest

from graph import Database, HistoryRepository, SystemClock, Writes
from graph.access import Role
from graph.errors import Conflict, InvalidInput, NotFound
from graph.tokens import SECRET_PREFIX, TokenRepository, hash_secret


@pytest.fixture
def tokens(db: Database) -> TokenRepository:
    return TokenRepository(db, Writes(db, HistoryRepository(db)), SystemClock())


async def test_a_created_token_is_found_by_its_secret_which_is_stored_only_as_a_hash(
    tokens: TokenRepository, db: Database
) -> None:
    created = await tokens.create("ci-pipeline", [Role.CONFIG_MANAGER], "ops")

    assert created.secret.startswith(SECRET_PREFIX) and len(created.secret) == 48
    assert created.token.name == "ci-pipeline"
    assert created.token.roles == (Role.CONFIG_MANAGER,)
    assert created.token.created_by == "ops"
    assert created.secret.startswith(created.token.prefix)
    assert await tokens.find(created.secret) == created.token
    [stored] = await db.read_rows("t.token", "MATCH (t:ApiToken) RETURN properties(t) AS p")
    assert stored["p"]["hash"] == hash_secret(created.secret)
    assert created.secret not in stored["p"].values()


async def test_an_unknown_secret_finds_nothing(tokens: TokenRepository) -> None:
    await tokens.create("bot", [Role.VIEWER], "ops")

    assert await tokens.find(SECRET_PREFIX + "not-a-secret") is None


async def test_a_revoked_token_is_no_longer_found_and_stays_listed(
    tokens: TokenRepository,
) -> None:
    created = await tokens.create("bot", [Role.AGENT], "ops")

    revoked = await tokens.revoke(created.token.id, "security")
    again = await tokens.revoke(created.token.id, "someone-else")

    assert revoked.revoked_by == "security" and revoked.revoked_at is not None
    assert again == revoked
    assert await tokens.find(created.secret) is None
    assert await tokens.list() == [revoked]


async def test_revoking_an_unknown_token_is_not_found(tokens: TokenRepository) -> None:
    with pytest.raises(NotFound):
        await tokens.revoke("no-such-id", "ops")


async def test_a_blank_name_or_no_role_is_refused(tokens: TokenRepository) -> None:
    with pytest.raises(InvalidInput) as refused:
        await tokens.create("  ", [], "ops")

    assert [e.field for e in refused.value.errors] == ["name", "roles"]
    assert await tokens.list() == []


async def test_two_parallel_creations_of_one_name_make_one_token_and_one_conflict(
    tokens: TokenRepository,
) -> None:
    outcomes = await asyncio.gather(
        tokens.create("shared", [Role.VIEWER], "a"),
        tokens.create("shared", [Role.ADMIN], "b"),
        return_exceptions=True,
    )

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1
    assert conflicts[0].field == "name"
    assert "'shared' exists already" in conflicts[0].message
    [stored] = await tokens.list()
    assert stored.name == "shared"


async def test_a_name_stays_taken_after_its_token_is_revoked(tokens: TokenRepository) -> None:
    created = await tokens.create("bot", [Role.VIEWER], "ops")
    await tokens.revoke(created.token.id, "ops")

    with pytest.raises(Conflict):
        await tokens.create("bot", [Role.VIEWER], "ops")
