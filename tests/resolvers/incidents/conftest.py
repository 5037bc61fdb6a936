"""The incident tests' application: the session's Neo4j, a clock the tests move, and an explicit
SLA calendar (09:00-17:00, Monday to Friday, UTC)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database
from tests.clock import MovableClock
from tests.conftest import AUTH_ENV, TestServer

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
"""A Monday, 10:00 UTC: inside business hours."""


@pytest.fixture(scope="session")
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture(autouse=True)
def clock_at_start(clock: MovableClock) -> None:
    clock.set(START)


@pytest.fixture(scope="session")
def incident_settings(server: TestServer) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **AUTH_ENV,
            "CMDB_ACTOR": "test-user",
            "CMDB_SLA_HOURS": "09:00-17:00",
            "CMDB_SLA_DAYS": "MON-FRI",
            "CMDB_SLA_TIMEZONE": "UTC",
        }
    )


@pytest.fixture(scope="session")
async def app(
    incident_settings: Settings, db: Database, clock: MovableClock
) -> AsyncIterator[Starlette]:
    application = create_app(incident_settings, db, clock=clock)
    async with application.router.lifespan_context(application):
        yield application
