"""A request with an `Idempotency-Key` that died mid-way (its process killed, Neo4j gone before
it could give the key up) leaves its claim behind: a lease. Once the lease has run out, a retry
takes the key over and runs, unless the dead request's write committed (the mark written in its
own transaction says so): then the retry is told, and nothing runs twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import orjson
import pytest

from api._idempotency import fingerprint
from graph import Database
from graph.errors import GraphUnavailable
from graph.idempotency import ClaimState, IdempotencyRepository
from tests import conftest
from tests.api.test_idempotency import CREATE, client_of, clock, create, incident, incidents
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

__all__ = ["clock"]

PRINCIPAL = "test-user"
LEASE = timedelta(seconds=40)  # the default time budget (30 s) and the margin (10 s)


def keys_of(db: Database, clock: MovableClock) -> IdempotencyRepository:
    return IdempotencyRepository(db, clock, timedelta(hours=24), lease=LEASE)


def identity(ci: str, title: str = "Checkout fails") -> str:
    body = {"query": CREATE, "variables": incident(title, ci)}
    return fingerprint(orjson.dumps(body))


async def dead_request(keys: IdempotencyRepository, key: str, ci: str) -> str:
    """A claim left pending by a request that died before it stored a response."""
    claim = await keys.claim(PRINCIPAL, key, identity(ci), "dead-token")
    assert claim.state is ClaimState.MINE
    return "dead-token"


async def test_a_dead_requests_key_is_in_use_until_its_lease_runs_out_then_a_retry_runs(
    server: conftest.TestServer, db: Database, clock: MovableClock
) -> None:
    async with client_of(server, db, clock) as http:
        ci = await create_ci(GraphQLClient(http), "orders-db", "DATABASE")
        await dead_request(keys_of(db, clock), "died-1", ci)

        early = await create(http, "died-1", ci)
        clock.advance(seconds=41)
        retried = await create(http, "died-1", ci)
        again = await create(http, "died-1", ci)

    assert early.status_code == 409
    assert early.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert retried.status_code == 200
    assert retried.json()["data"]["createIncident"]["errors"] == []
    assert again.json() == retried.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await incidents(db) == 1


async def test_a_dead_request_whose_write_committed_is_never_run_again(
    server: conftest.TestServer, db: Database, clock: MovableClock
) -> None:
    keys = keys_of(db, clock)
    async with client_of(server, db, clock) as http:
        ci = await create_ci(GraphQLClient(http), "orders-db", "DATABASE")
        token = await dead_request(keys, "died-2", ci)
        # The dead request's mutation: its transaction carried the key's mark.
        with keys.marking(PRINCIPAL, "died-2", token):
            await db.write_rows("t", "CREATE (:Incident {title: 'committed before death'})")
        clock.advance(seconds=41)
        retried = await create(http, "died-2", ci)

    assert retried.status_code == 409
    [error] = retried.json()["errors"]
    assert error["extensions"] == {"code": "IDEMPOTENCY_KEY_COMMITTED"}
    assert "retry-after" not in retried.headers
    assert await incidents(db) == 1


async def test_parallel_retries_after_a_death_take_the_key_over_once_and_answer_alike(
    server: conftest.TestServer, db: Database, clock: MovableClock
) -> None:
    async with client_of(server, db, clock) as http:
        ci = await create_ci(GraphQLClient(http), "orders-db", "DATABASE")
        await dead_request(keys_of(db, clock), "died-3", ci)
        clock.advance(seconds=41)
        responses = await asyncio.gather(*(create(http, "died-3", ci) for _ in range(6)))

    assert {r.status_code for r in responses} == {200}
    bodies = [r.json() for r in responses]
    assert all(body == bodies[0] for body in bodies), bodies
    assert sum("idempotent-replayed" in r.headers for r in responses) == 5
    assert await incidents(db) == 1


async def test_parallel_takeovers_of_one_expired_claim_give_it_to_exactly_one(
    db: Database, clock: MovableClock
) -> None:
    keys = keys_of(db, clock)
    await keys.claim(PRINCIPAL, "died-4", "same", "dead-token")
    clock.advance(seconds=41)

    claims = await asyncio.gather(
        *(keys.claim(PRINCIPAL, "died-4", "same", f"retry-{n}") for n in range(8))
    )

    states = [c.state for c in claims]
    assert states.count(ClaimState.MINE) == 1, states
    assert set(states) == {ClaimState.MINE, ClaimState.PENDING}
    [taker] = [c for c in claims if c.state is ClaimState.MINE]
    assert taker.taken_over_from is not None


async def test_a_request_whose_claim_was_taken_over_cannot_commit_its_write(
    db: Database, clock: MovableClock
) -> None:
    keys = keys_of(db, clock)
    await keys.claim(PRINCIPAL, "slow-1", "same", "slow-token")
    clock.advance(seconds=41)
    assert (await keys.claim(PRINCIPAL, "slow-1", "same", "retry")).state is ClaimState.MINE

    with keys.marking(PRINCIPAL, "slow-1", "slow-token"), pytest.raises(GraphUnavailable):
        await db.write_rows("t", "CREATE (:Incident {title: 'too late'})")

    assert await incidents(db) == 0


async def test_a_fault_after_a_commit_keeps_the_key_so_that_the_retry_learns_it_committed(
    db: Database, clock: MovableClock
) -> None:
    keys = keys_of(db, clock)
    await keys.claim(PRINCIPAL, "fault-1", "same", "token")
    with keys.marking(PRINCIPAL, "fault-1", "token"):
        await db.write_rows("t", "CREATE (:Incident {title: 'committed'})")
    await keys.release(PRINCIPAL, "fault-1", "token")

    retry = await keys.claim(PRINCIPAL, "fault-1", "same", "retry")

    assert retry.state is ClaimState.COMMITTED
    assert await incidents(db) == 1
