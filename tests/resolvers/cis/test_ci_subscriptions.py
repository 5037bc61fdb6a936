"""`ciUpdated` through a live WebSocket: each committed write that adds to a CI's history
reaches the subscriptions whose filter accepts the CI after the write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api import Settings
from graph import Database
from graph.events import CIS
from tests.live import Live, http_graphql, live_server, ws_client
from tests.resolvers.helpers import create_ci, relate

UPDATED = """
subscription($filter: CIUpdateFilter) {
  ciUpdated(filter: $filter) {
    ci { id name class status } operation actor changedFields
  }
}
"""
RETIRE = """
mutation($input: RetireCIInput!) { retireCI(input: $input) { errors { field code message } } }
"""


@pytest.fixture
async def live(settings: Settings, db: Database) -> AsyncIterator[Live]:
    async with live_server(settings, db) as served:
        yield served


async def test_committed_writes_of_cis_reach_the_subscriptions_that_accept_them(
    live: Live,
) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        await ws.subscribe("databases", UPDATED, filter={"classes": ["DATABASE"]})
        await ws.subscribe("retired", UPDATED, filter={"statuses": ["RETIRED"]})
        await live.until_subscribed(CIS, 2)

        app = await create_ci(gql, "orders", "APPLICATION")  # nobody's
        db_id = await create_ci(gql, "orders-db", "DATABASE")
        created = (await ws.next_payload("databases"))["ciUpdated"]
        assert created["ci"] == {
            "id": db_id,
            "name": "orders-db",
            "class": "DATABASE",
            "status": "OPERATIONAL",
        }
        assert (created["operation"], created["actor"]) == ("createCI", "test-user")

        assert (await relate(gql, app, db_id, "DEPENDS_ON"))["errors"] == []
        related = (await ws.next_payload("databases"))["ciUpdated"]
        assert (related["ci"]["id"], related["operation"]) == (db_id, "relateCIs")

        data = await gql(RETIRE, input={"id": app})
        assert data["retireCI"]["errors"] == []
        retired = (await ws.next_payload("retired"))["ciUpdated"]
        assert (retired["ci"]["name"], retired["ci"]["status"]) == ("orders", "RETIRED")
        assert "status" in retired["changedFields"]
