"""An application whose clock the test moves: incidents opened days apart, through the API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from api import Settings, create_app
from graph import Database
from tests.conftest import GraphQLClient
from tests.graph.problems.helpers import START, MovableClock


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture
async def timed_gql(
    settings: Settings, db: Database, clock: MovableClock
) -> AsyncIterator[GraphQLClient]:
    """A client of an application that tells time by `clock`."""
    application = create_app(settings, db, clock)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
            yield GraphQLClient(http)
