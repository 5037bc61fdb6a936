"""Live servers for tests: the product's app under uvicorn on a free loopback port, in the
test's event loop (so it shares the session's Neo4j driver), with a small client of the
`graphql-transport-ws` protocol over the `websockets` library; and `cmdb serve` in a process of
its own (`serve_process`), as an operator starts it."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect

from api import Settings, create_app
from graph import Clock, Database
from graph.embedded import free_port
from graph.events import Topic
from tests.conftest import AUTH_ENV, GraphQLClient, TestServer, bearer

PROTOCOL = "graphql-transport-ws"
PATIENCE = 30.0
"""Seconds a test waits for a message before failing (a hang guard, not an assertion)."""


@dataclass(frozen=True)
class Live:
    address: str
    """host:port"""
    app: Starlette

    async def until_subscribed(self, topic: Topic[Any], count: int = 1) -> None:
        """Returns once `count` subscriptions wait on `topic`: a subscribe message is handled
        by the server in its own time, and a test's write must not overtake it."""
        bus = self.app.state.repositories.events
        while bus.subscriber_count(topic) < count:  # noqa: ASYNC110 - the bus signals nothing
            await asyncio.sleep(0.01)

    async def until_connections(self, principal: str, count: int) -> None:
        """Returns once `principal` holds `count` WebSocket connections: the server frees a
        closed connection's place in its own time."""
        connections = self.app.state.websocket_connections
        while connections.count(principal) != count:  # noqa: ASYNC110 - nothing to wait on
            await asyncio.sleep(0.01)


@asynccontextmanager
async def live_server(
    settings: Settings, db: Database, clock: Clock | None = None
) -> AsyncIterator[Live]:
    """Serves the app on a free port. The lifespan runs (bus opened and closed)."""
    port = free_port()
    app = create_app(settings, db, clock=clock)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        lifespan="on",
        ws="websockets-sansio",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            serving.result()
        await asyncio.sleep(0.01)
    try:
        yield Live(f"127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        await serving


class TransportClient:
    """One `graphql-transport-ws` connection."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """Opens the connection with `payload`: by default an admin's credentials."""
        given = bearer() if payload is None else payload
        await self.send({"type": "connection_init", "payload": given})
        return await self.receive()

    async def subscribe(self, op_id: str, query: str, **variables: Any) -> None:
        message = {"query": query, "variables": variables}
        await self.send({"id": op_id, "type": "subscribe", "payload": message})

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        """The next message, which must come in a text frame."""
        frame = await asyncio.wait_for(self.ws.recv(), PATIENCE)
        assert isinstance(frame, str), f"a binary frame: {frame!r}"
        message: dict[str, Any] = json.loads(frame)
        return message

    async def next_payload(self, op_id: str) -> dict[str, Any]:
        """The data of the next `next` message, which must be for `op_id`, without errors."""
        message = await self.receive()
        assert message["type"] == "next" and message["id"] == op_id, message
        assert "errors" not in message["payload"], message
        data: dict[str, Any] = message["payload"]["data"]
        return data


@asynccontextmanager
async def ws_client(address: str, init: bool = True) -> AsyncIterator[TransportClient]:
    """A connection to `address`, acknowledged unless `init` is false."""
    async with connect(f"ws://{address}/graphql", subprotocols=[PROTOCOL]) as ws:
        client = TransportClient(ws)
        if init:
            ack = await client.init()
            assert ack["type"] == "connection_ack", ack
        yield client


@asynccontextmanager
async def http_graphql(address: str) -> AsyncIterator[GraphQLClient]:
    """GraphQL over HTTP to the live server (waiting as long as a test waits for a message:
    httpx's 5 s default timed out on a loaded machine)."""
    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=PATIENCE) as http:
        yield GraphQLClient(http)


@asynccontextmanager
async def serve_process(server: TestServer) -> AsyncIterator[str]:
    """`cmdb serve` over the session's Neo4j in a process of its own, until the block ends:
    yields its base URL once it answers /healthz."""
    port = free_port()
    env = {
        **os.environ,
        "NEO4J_URI": server.uri,
        "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
        "CMDB_HOST": "127.0.0.1",
        "CMDB_PORT": str(port),
        "CMDB_LOG_LEVEL": "warning",
        **AUTH_ENV,
    }
    cmdb = Path(sys.executable).parent / "cmdb"
    process = await asyncio.create_subprocess_exec(
        str(cmdb), "serve", "--no-migrate", env=env, stdout=asyncio.subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base) as http:
            for _ in range(300):
                assert process.returncode is None, "cmdb serve stopped"
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("cmdb serve did not answer /healthz")
        yield base
    finally:
        process.terminate()
        await process.wait()
