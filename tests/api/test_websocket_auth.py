"""Authentication over WebSocket (graphql-transport-ws), through a real server: the credentials
of `connection_init`'s payload; a connection without valid ones is closed with 4403, an
accepted one acts for its principal and its roles."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from graph.embedded import free_port
from tests.conftest import bearer

SUBPROTOCOL: Any = "graphql-transport-ws"


@pytest.fixture
async def url(app: Starlette) -> AsyncIterator[str]:
    """The WebSocket URL of the session's application, served by uvicorn on a free port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    # uvicorn's Server says it started by a flag, not an event.
    while not server.started:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    yield f"ws://127.0.0.1:{port}/graphql"
    server.should_exit = True
    await serving


async def run(url: str, init: dict[str, Any], query: str) -> dict[str, Any]:
    async with connect(url, subprotocols=[SUBPROTOCOL]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": init}))
        assert json.loads(await ws.recv()) == {"type": "connection_ack"}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message: dict[str, Any] = json.loads(await ws.recv())
        return message


async def test_a_connection_authenticated_in_connection_init_runs_operations(url: str) -> None:
    message = await run(url, bearer("wanda", ["viewer"]), "{ cis(first: 1) { totalCount } }")

    assert message == {"id": "1", "type": "next", "payload": {"data": {"cis": {"totalCount": 0}}}}


async def test_the_token_key_of_the_payload_is_accepted_too(url: str) -> None:
    token = bearer("wanda", ["viewer"])["authorization"].removeprefix("Bearer ")

    message = await run(url, {"token": token}, "{ cis(first: 1) { totalCount } }")

    assert message["payload"] == {"data": {"cis": {"totalCount": 0}}}


async def test_a_role_lacking_a_mutation_is_forbidden_over_websocket_too(url: str) -> None:
    mutation = 'mutation { createCI(input: {name: "ws", class: "SERVER"}) { errors { code } } }'

    message = await run(url, bearer("wanda", ["viewer"]), mutation)

    assert message["type"] == "next"
    assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    "init",
    [{}, {"authorization": "Bearer not-a-jwt"}, {"token": "cmdb_unknown"}],
    ids=["none", "invalid-jwt", "unknown-token"],
)
async def test_a_connection_without_valid_credentials_is_closed_with_4403(
    url: str, init: dict[str, Any]
) -> None:
    async with connect(url, subprotocols=[SUBPROTOCOL]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": init}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()

    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
