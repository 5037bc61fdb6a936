"""`Idempotency-Key` (api/_idempotency.py, graph/idempotency/): a retried mutation with the
same key and principal returns the first outcome and writes once, even when the two arrive at
the same time; another request under the same key is refused; keys expire."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from api import Settings, create_app
from api._idempotency import IdempotentRequests
from graph import Database
from graph.idempotency import IdempotencyRepository
from tests import conftest
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

CREATE = """
mutation($input: CreateIncidentInput!) {
  createIncident(input: $input) { incident { number title } errors { field code message } }
}
"""
COUNT = "MATCH (i:Incident) RETURN count(i) AS n"
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def settings_for(server: conftest.TestServer) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            "CMDB_IDEMPOTENCY_KEY_HOURS": "24",
            **conftest.AUTH_ENV,
        }
    )


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@contextlib.asynccontextmanager
async def client_of(
    server: conftest.TestServer, db: Database, clock: MovableClock, actor: str = "test-user"
) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings_for(server), db, clock=clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://cmdb.test", headers=conftest.bearer(actor)
        ) as http:
            yield http


@pytest.fixture
async def http(
    server: conftest.TestServer, db: Database, clock: MovableClock
) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(server, db, clock) as client:
        yield client


@pytest.fixture
async def ci(http: httpx.AsyncClient) -> str:
    return await create_ci(GraphQLClient(http), "orders-db", "DATABASE")


def incident(title: str, ci: str) -> dict[str, Any]:
    fields = {"title": title, "category": "APPLICATION", "impact": 2, "urgency": 2}
    return {"input": {**fields, "affectedCiIds": [ci]}}


async def create(
    http: httpx.AsyncClient, key: str, ci: str, title: str = "Checkout fails"
) -> httpx.Response:
    variables = incident(title, ci)
    return await http.post(
        "/graphql",
        json={"query": CREATE, "variables": variables},
        headers={"Idempotency-Key": key},
    )


async def incidents(db: Database) -> int:
    [row] = await db.read_rows("t", COUNT)
    return int(row["n"])


async def test_a_retry_with_the_same_key_returns_the_first_outcome_and_creates_one(
    http: httpx.AsyncClient, db: Database, ci: str
) -> None:
    first = await create(http, "retry-1", ci)
    again = await create(http, "retry-1", ci)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["data"]["createIncident"]["errors"] == []
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert await incidents(db) == 1


async def test_parallel_requests_with_one_key_create_one_incident_and_answer_alike(
    http: httpx.AsyncClient, db: Database, ci: str
) -> None:
    responses = await asyncio.gather(*(create(http, "parallel-1", ci) for _ in range(6)))

    assert {r.status_code for r in responses} == {200}
    bodies = [r.json() for r in responses]
    assert all(body == bodies[0] for body in bodies), bodies
    assert sum("idempotent-replayed" in r.headers for r in responses) == 5
    assert await incidents(db) == 1


async def test_the_same_key_for_another_request_is_refused_and_writes_nothing(
    http: httpx.AsyncClient, db: Database, ci: str
) -> None:
    await create(http, "reused-1", ci, title="Checkout fails")
    other = await create(http, "reused-1", ci, title="Search is slow")

    assert other.status_code == 422
    assert other.json() == {
        "errors": [
            {
                "message": "Idempotency-Key was used for another request (its document or "
                "variables)",
                "extensions": {"code": "IDEMPOTENCY_KEY_REUSED"},
            }
        ]
    }
    assert await incidents(db) == 1


async def test_keys_are_per_principal_and_expire(
    server: conftest.TestServer, db: Database, clock: MovableClock, http: httpx.AsyncClient, ci: str
) -> None:
    await create(http, "shared-1", ci)
    async with client_of(server, db, clock, actor="someone-else") as other:
        assert (await create(other, "shared-1", ci)).status_code == 200
    assert await incidents(db) == 2

    clock.advance(hours=23, minutes=59)
    assert (await create(http, "shared-1", ci)).headers["idempotent-replayed"] == "true"
    clock.advance(minutes=1)
    fresh = await create(http, "shared-1", ci)
    assert "idempotent-replayed" not in fresh.headers
    assert await incidents(db) == 3


async def test_a_malformed_key_is_refused(http: httpx.AsyncClient, db: Database, ci: str) -> None:
    response = await create(http, "k" * 256, ci)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert await incidents(db) == 0


async def test_a_request_without_a_key_runs_every_time(
    http: httpx.AsyncClient, db: Database, ci: str
) -> None:
    variables = incident("t", ci)
    for _ in range(2):
        await http.post("/graphql", json={"query": CREATE, "variables": variables})
    assert await incidents(db) == 2


FAULTS = [
    (500, b'{"errors": [{"message": "Internal server error."}]}'),
    (200, b'{"data": null, "errors": [{"extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}'),
    (503, b'{"errors": [{"extensions": {"code": "SERVICE_UNAVAILABLE"}}]}'),
]


@pytest.mark.parametrize(("status", "body"), FAULTS)
async def test_a_server_fault_gives_the_key_up_so_that_the_retry_runs(
    db: Database, clock: MovableClock, status: int, body: bytes
) -> None:
    runs: list[int] = []

    async def graphql(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        runs.append(1)
        answer = (status, body) if len(runs) == 1 else (200, b'{"data": {"ok": true}}')
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": answer[0], "headers": headers})
        await send({"type": "http.response.body", "body": answer[1]})

    async def someone(scope: Scope) -> str:
        return "someone"

    keys = IdempotencyRepository(db, clock, timedelta(hours=1))
    app = IdempotentRequests(graphql, lambda: keys, someone, wait_seconds=1)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cmdb.test"
    ) as http:
        responses = [
            await http.post("/graphql", json={"query": "{ ok }"}, headers={"Idempotency-Key": "f"})
            for _ in range(3)
        ]

    assert [r.status_code for r in responses] == [status, 200, 200]
    assert responses[2].json() == {"data": {"ok": True}}
    assert responses[2].headers["idempotent-replayed"] == "true"
    assert len(runs) == 2


async def test_keys_are_per_principal_and_an_unauthenticated_request_remembers_nothing(
    server: conftest.TestServer, db: Database, clock: MovableClock, ci: str
) -> None:
    variables = incident("per principal", ci)
    key = {"idempotency-key": "shared-key"}

    async with client_of(server, db, clock, actor="alice") as alice:
        first = await alice.post(
            "/graphql", json={"query": CREATE, "variables": variables}, headers=key
        )
    async with client_of(server, db, clock, actor="bob") as bob:
        second = await bob.post(
            "/graphql", json={"query": CREATE, "variables": variables}, headers=key
        )
        anonymous = await bob.post(
            "/graphql",
            json={"query": CREATE, "variables": variables},
            headers={**key, "authorization": ""},
        )

    assert "idempotent-replayed" not in second.headers
    assert (
        first.json()["data"]["createIncident"]["incident"]["number"]
        != (second.json()["data"]["createIncident"]["incident"]["number"])
    )
    assert anonymous.status_code == 401 and "idempotent-replayed" not in anonymous.headers
    assert await incidents(db) == 2
