"""The change tests' application: the session's Neo4j, a clock the tests move, one CAB approval
required; `as_actor` opens the same database as another user (a second CAB member)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database
from tests.clock import MovableClock
from tests.conftest import AUTH_ENV, GraphQLClient, TestServer

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""A Monday, 10:00 UTC."""

ActAs = Callable[..., Awaitable[GraphQLClient]]


def change_settings(server: TestServer, actor: str = "test-user", approvals: int = 1) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **AUTH_ENV,
            "CMDB_ACTOR": actor,
            "CMDB_CAB_APPROVALS": str(approvals),
        }
    )


@pytest.fixture(scope="session")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(autouse=True)
def clock_at_start(clock: MovableClock) -> None:
    clock.set(START)


@pytest.fixture(scope="session")
async def app(server: TestServer, db: Database, clock: MovableClock) -> AsyncIterator[Starlette]:
    application = create_app(change_settings(server), db, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def as_actor(server: TestServer, db: Database, clock: MovableClock) -> AsyncIterator[ActAs]:
    """`await as_actor("cab-alice", approvals=2)`: a client of an application over the same
    database and clock whose user is `actor` and whose CAB needs `approvals` approvals."""
    async with contextlib.AsyncExitStack() as stack:

        async def open_as(actor: str, approvals: int = 1) -> GraphQLClient:
            application = create_app(change_settings(server, actor, approvals), db, clock=clock)
            await stack.enter_async_context(application.router.lifespan_context(application))
            transport = httpx.ASGITransport(app=application)
            http = httpx.AsyncClient(transport=transport, base_url="http://cmdb.test")
            await stack.enter_async_context(http)
            return GraphQLClient(http, actor)

        yield open_as
