"""The `Host` header is checked (CMDB_ALLOWED_HOSTS, docs/operations.md): the bind host, the
loopback names and the configured names are served; any other is a 400."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from api import Settings, SettingsError, create_app
from graph import Database
from tests.conftest import bearer
from tests.live import PROTOCOL, live_server


@asynccontextmanager
async def serving(settings: Settings, db: Database, host: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=f"http://{host}", headers=bearer()
        ) as http:
            yield http


def test_the_allowed_hosts_are_the_bind_host_the_loopback_names_and_the_setting() -> None:
    assert Settings.from_env({}).allowed_hosts == ("127.0.0.1", "localhost", "::1", "[::1]")
    configured = Settings.from_env(
        {"CMDB_HOST": "0.0.0.0", "CMDB_ALLOWED_HOSTS": "CMDB.example.com, *.corp.example"}
    )
    assert configured.allowed_hosts == (
        "localhost",
        "127.0.0.1",
        "::1",
        "[::1]",
        "cmdb.example.com",
        "*.corp.example",
    )
    assert Settings.from_env({"CMDB_ALLOWED_HOSTS": "*"}).allowed_hosts == ("*",)


@pytest.mark.parametrize("value", ["https://cmdb.example.com", "cmdb example", "cmdb.*.com"])
def test_an_allowed_host_that_is_no_host_name_stops_start_up(value: str) -> None:
    with pytest.raises(SettingsError, match="CMDB_ALLOWED_HOSTS"):
        Settings.from_env({"CMDB_ALLOWED_HOSTS": value})


async def test_a_request_for_another_host_is_refused_with_400(
    settings: Settings, db: Database
) -> None:
    async with serving(settings, db, "evil.example") as http:
        response = await http.post("/graphql", json={"query": "{ cis { totalCount } }"})
        assert response.status_code == 400
        assert response.text == "Invalid host header"
        health = await http.get("/healthz")
        assert health.status_code == 400


@pytest.mark.parametrize("host", ["cmdb.test", "localhost:8000", "127.0.0.1", "[::1]:8000"])
async def test_the_configured_and_loopback_hosts_are_served(
    settings: Settings, db: Database, host: str
) -> None:
    async with serving(settings, db, host) as http:
        response = await http.post("/graphql", json={"query": "{ cis { totalCount } }"})
        assert response.status_code == 200
        assert response.json() == {"data": {"cis": {"totalCount": 0}}}


async def test_a_wildcard_serves_the_subdomains_and_a_star_any_host(
    settings: Settings, db: Database
) -> None:
    corp = dataclasses.replace(settings, allowed_hosts=("*.corp.example",))
    async with serving(corp, db, "cmdb.corp.example") as http:
        assert (await http.get("/healthz")).status_code == 200
    async with serving(corp, db, "corp.example.evil") as http:
        assert (await http.get("/healthz")).status_code == 400
    anything = dataclasses.replace(settings, allowed_hosts=("*",))
    async with serving(anything, db, "whatever.example") as http:
        assert (await http.get("/healthz")).status_code == 200


async def test_a_websocket_for_another_host_is_refused(settings: Settings, db: Database) -> None:
    # Only cmdb.test: the client's Host, 127.0.0.1:<port>, is another.
    only_cmdb = dataclasses.replace(settings, allowed_hosts=("cmdb.test",))
    async with live_server(only_cmdb, db) as live:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://{live.address}/graphql", subprotocols=[PROTOCOL]):
                pass
        assert refused.value.response.status_code == 400
