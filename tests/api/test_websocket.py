"""GraphQL over WebSocket (api/_websocket.py): the graphql-transport-ws protocol only, text
frames, and the caps on subscriptions per connection and connections per principal."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from api import Settings
from graph import Database
from graph.events import CIS
from tests.conftest import bearer
from tests.live import Live, http_graphql, live_server, ws_client
from tests.resolvers.helpers import create_ci

SUBSCRIBE_CIS = "subscription { ciUpdated { ci { id name } operation changedFields } }"


@pytest.fixture
async def live(settings: Settings, db: Database) -> AsyncIterator[Live]:
    capped = dataclasses.replace(
        settings, subscriptions_per_connection=2, connections_per_principal=2
    )
    async with live_server(capped, db) as served:
        yield served


async def test_messages_come_in_text_frames(live: Live) -> None:
    async with ws_client(live.address, init=False) as client:
        ack = await client.init()  # receive() fails on a binary frame
        assert ack == {"type": "connection_ack"}
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}


async def test_the_legacy_graphql_ws_protocol_is_refused(live: Live) -> None:
    async with connect(
        f"ws://{live.address}/graphql",
        subprotocols=["graphql-ws"],
    ) as ws:
        assert ws.subprotocol is None
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
    assert closed.value.rcvd.reason == "Subprotocol not acceptable"


async def test_a_subscription_over_the_cap_of_a_connection_is_refused_with_its_code(
    live: Live,
) -> None:
    async with ws_client(live.address) as client:
        await client.subscribe("1", SUBSCRIBE_CIS)
        await client.subscribe("2", SUBSCRIBE_CIS)
        await client.subscribe("3", SUBSCRIBE_CIS)
        refused = await client.receive()
        assert refused["type"] == "error" and refused["id"] == "3"
        [error] = refused["payload"]
        assert error["message"] == "Too many subscriptions: at most 2 at once on one connection"
        assert error["extensions"] == {"code": "SUBSCRIPTION_LIMIT", "limit": 2}
        # The two within the cap still run.
        await live.until_subscribed(CIS, 2)
        async with http_graphql(live.address) as gql:
            await create_ci(gql, "orders-db", "DATABASE")
        received = {(await client.receive())["id"], (await client.receive())["id"]}
        assert received == {"1", "2"}


async def test_a_connection_over_the_cap_of_a_principal_is_closed_with_the_reason(
    live: Live,
) -> None:
    async with ws_client(live.address), ws_client(live.address):
        async with ws_client(live.address, init=False) as third:
            await third.send({"type": "connection_init", "payload": bearer()})
            with pytest.raises(ConnectionClosed) as closed:
                await third.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4429
        assert closed.value.rcvd.reason == "Too many connections: at most 2 per principal"
    # Closed connections free their places.
    await live.until_connections("test-user", 0)
    async with ws_client(live.address), ws_client(live.address):
        assert live.app.state.websocket_connections.count("test-user") == 2


async def test_metrics_count_the_subscribers_of_the_event_bus(live: Live) -> None:
    async def subscribers() -> float:
        async with httpx.AsyncClient(base_url=f"http://{live.address}") as http:
            text = (await http.get("/metrics")).text
        [line] = [s for s in text.splitlines() if s.startswith("cmdb_event_bus_subscribers ")]
        return float(line.split()[1])

    before = await subscribers()
    async with ws_client(live.address) as client:
        await client.subscribe("1", SUBSCRIBE_CIS)
        await live.until_subscribed(CIS)
        during = await subscribers()

    assert (before, during) == (0.0, 1.0)
