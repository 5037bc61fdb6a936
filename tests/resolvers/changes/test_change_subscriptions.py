"""`changeUpdated` through a live WebSocket: each committed write of a change reaches the
subscriptions whose filter accepts the change as it is after the write."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graph import Database
from graph.events import CHANGES
from tests import conftest
from tests.clock import MovableClock
from tests.live import Live, http_graphql, live_server, ws_client
from tests.resolvers.changes.conftest import change_settings
from tests.resolvers.changes.helpers import a_ci, open_change, transition

UPDATED = """
subscription($filter: ChangeUpdateFilter) {
  changeUpdated(filter: $filter) {
    change { number state type targets { id } } operation actor changedFields
  }
}
"""


@pytest.fixture
async def live(
    server: conftest.TestServer, db: Database, clock: MovableClock
) -> AsyncIterator[Live]:
    async with live_server(change_settings(server), db, clock) as served:
        yield served


async def test_committed_writes_of_changes_reach_the_subscriptions_that_accept_them(
    live: Live,
) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        ci, other = await a_ci(gql), await a_ci(gql, "billing-db")
        await ws.subscribe("assessing", UPDATED, filter={"states": ["ASSESS"]})
        await ws.subscribe("billing", UPDATED, filter={"targetCiIds": [other]})
        await ws.subscribe("emergency", UPDATED, filter={"types": ["EMERGENCY"]})
        await live.until_subscribed(CHANGES, 3)

        number = (await open_change(gql, [ci]))["number"]  # NEW, NORMAL: nobody's
        refused = await transition(gql, number, "IMPLEMENT")
        assert refused["errors"] != []
        assert (await transition(gql, number, "ASSESS"))["errors"] == []
        assessing = (await ws.next_payload("assessing"))["changeUpdated"]
        assert assessing["change"] == {
            "number": number,
            "state": "ASSESS",
            "type": "NORMAL",
            "targets": [{"id": ci}],
        }
        assert (assessing["operation"], assessing["actor"]) == ("transitionChange", "test-user")
        assert "state" in assessing["changedFields"]

        billing = await open_change(gql, [other], type="EMERGENCY")
        # Each subscription sends in its own time: two messages, one for each, in any order.
        heard = {}
        for _ in range(2):
            message = await ws.receive()
            heard[message["id"]] = message["payload"]["data"]["changeUpdated"]
        assert set(heard) == {"billing", "emergency"}
        for payload in heard.values():
            assert (payload["change"]["number"], payload["operation"]) == (
                billing["number"],
                "createChange",
            )
