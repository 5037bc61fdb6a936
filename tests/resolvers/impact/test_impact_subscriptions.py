"""`impactChanged` through a live WebSocket: a watched service's computed state, with every CI
affected by an open incident that causes an outage failed, is sent each time it changes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from api import Settings
from graph import Database
from tests.live import Live, TransportClient, http_graphql, live_server, ws_client
from tests.resolvers.incidents.helpers import open_incident, transition
from tests.resolvers.topology import build

CHANGED = """
subscription($ids: [ID!]!) {
  impactChanged(serviceIds: $ids) { service { name } state previousState operation actor }
}
"""

POOL = {
    "shop": "BUSINESS_SERVICE",
    "hr": "BUSINESS_SERVICE",
    "web": "APPLICATION",
    "payroll": "APPLICATION",
    "vm1": "VIRTUAL_MACHINE",
    "vm2": "VIRTUAL_MACHINE",
    "vm3": "VIRTUAL_MACHINE",
}
POOL_EDGES: list[Any] = [
    ("shop", "web", "PROVIDED_BY"),
    ("hr", "payroll", "PROVIDED_BY"),
    ("web", "vm1", "RUNS_ON", "web", 2),
    ("web", "vm2", "RUNS_ON", "web", 2),
    ("web", "vm3", "RUNS_ON", "web", 2),
]
RESOLVED = {"resolution": "replaced the disk"}


@pytest.fixture
async def live(settings: Settings, db: Database) -> AsyncIterator[Live]:
    async with live_server(settings, db) as served:
        yield served


async def change(ws: TransportClient) -> tuple[str, str | None, str, str | None]:
    payload = (await ws.next_payload("watch"))["impactChanged"]
    return (
        payload["service"]["name"],
        payload["previousState"],
        payload["state"],
        payload["operation"],
    )


async def test_each_change_of_a_watched_service_state_is_sent_once(live: Live) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        ids = await build(gql, POOL, POOL_EDGES)
        await open_incident(gql, [ids["vm3"]], title="before", category="SERVICE_REQUEST")
        await ws.subscribe("watch", CHANGED, ids=[ids["shop"], ids["hr"]])
        assert await change(ws) == ("shop", None, "OPERATIONAL", None)
        assert await change(ws) == ("hr", None, "OPERATIONAL", None)

        first = await open_incident(gql, [ids["vm1"]])
        assert await change(ws) == ("shop", "OPERATIONAL", "DEGRADED", "createIncident")
        second = await open_incident(gql, [ids["vm2"]])
        assert await change(ws) == ("shop", "DEGRADED", "DOWN", "createIncident")
        # A service request fails nothing, and hr never changes: neither is sent.
        await open_incident(gql, [ids["vm3"]], category="SERVICE_REQUEST")
        assert (await transition(gql, first["number"], "RESOLVED", **RESOLVED))["errors"] == []
        assert await change(ws) == ("shop", "DOWN", "DEGRADED", "transitionIncident")
        assert (await transition(gql, second["number"], "RESOLVED", **RESOLVED))["errors"] == []
        assert await change(ws) == ("shop", "DEGRADED", "OPERATIONAL", "transitionIncident")


async def test_the_first_message_is_the_state_when_subscribing(live: Live) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        ids = await build(gql, POOL, POOL_EDGES)
        first = await open_incident(gql, [ids["vm1"]])
        await open_incident(gql, [ids["vm2"]])
        await ws.subscribe("watch", CHANGED, ids=[ids["shop"]])
        assert await change(ws) == ("shop", None, "DOWN", None)

        assert (await transition(gql, first["number"], "RESOLVED", **RESOLVED))["errors"] == []
        assert await change(ws) == ("shop", "DOWN", "DEGRADED", "transitionIncident")


async def test_an_unknown_service_is_refused(live: Live) -> None:
    async with ws_client(live.address) as ws:
        await ws.subscribe("watch", CHANGED, ids=["no-such-ci"])
        message = await ws.receive()
        assert message["type"] == "next" and message["payload"]["data"] is None
        assert message["payload"]["errors"] == [
            {
                "message": "serviceIds: no CI has the id no-such-ci",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
