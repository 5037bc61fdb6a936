"""CORS (api/app.py): off by default; the configured origins may call the API from a browser,
and open WebSockets to it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from api import Settings, SettingsError, create_app
from graph import Database
from tests.live import PROTOCOL, live_server

DESK = "https://desk.example.com"
PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type,idempotency-key",
}


@pytest.fixture
async def cors_app(settings: Settings, db: Database) -> AsyncIterator[Starlette]:
    app = create_app(dataclasses.replace(settings, cors_origins=(DESK,)), db)
    async with app.router.lifespan_context(app):
        yield app


async def preflight(app: Starlette, origin: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
        return await http.options("/graphql", headers={"origin": origin, **PREFLIGHT})


async def test_a_configured_origin_may_call_the_api(cors_app: Starlette) -> None:
    allowed = await preflight(cors_app, DESK)
    refused = await preflight(cors_app, "https://elsewhere.example.com")

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == DESK
    assert "idempotency-key" in allowed.headers["access-control-allow-headers"]
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


async def test_cors_is_off_by_default(app: Starlette, client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": DESK}
    )

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_websockets_from_other_origins_are_refused_unless_configured(
    settings: Settings, db: Database
) -> None:
    for origins, allowed in (((), False), ((DESK,), True)):
        configured = dataclasses.replace(settings, cors_origins=origins)
        async with live_server(configured, db) as live:
            url = f"ws://{live.address}/graphql"
            opening = connect(url, subprotocols=[PROTOCOL], origin=DESK)
            if allowed:
                async with opening as ws:
                    assert ws.subprotocol == PROTOCOL
            else:
                with pytest.raises(InvalidStatus) as refused:
                    await opening
                assert refused.value.response.status_code == 403


def test_origins_are_read_from_the_environment_and_checked() -> None:
    env = {"CMDB_CORS_ORIGINS": f"{DESK}/, http://localhost:3000"}
    assert Settings.from_env(env).cors_origins == (DESK, "http://localhost:3000")
    assert Settings.from_env({}).cors_origins == ()
    with pytest.raises(SettingsError, match="CMDB_CORS_ORIGINS: an origin is"):
        Settings.from_env({"CMDB_CORS_ORIGINS": "desk.example.com"})
