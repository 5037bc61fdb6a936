"""The standard `graphql-ws` client from npm (tests/ws/, installed by `make setup`) against a
live server: it connects, reads the server's text frames, and receives an incident's update
after a committed mutation and nothing after a refused one."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from api import Settings
from graph import Database
from graph.events import INCIDENTS
from tests.conftest import bearer
from tests.live import PATIENCE, Live, http_graphql, live_server
from tests.resolvers.incidents.helpers import a_ci, open_incident, transition

CLIENT = Path(__file__).resolve().parent.parent / "ws" / "client.mjs"
UPDATED = """
subscription($filter: IncidentUpdateFilter) {
  incidentUpdated(filter: $filter) { incident { number state } operation actor }
}
"""


@pytest.fixture
async def live(settings: Settings, db: Database) -> AsyncIterator[Live]:
    async with live_server(settings, db) as served:
        yield served


async def line(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    raw = await asyncio.wait_for(process.stdout.readline(), PATIENCE)
    assert raw, "the client ended without a line"
    result: dict[str, Any] = json.loads(raw)
    return result


async def test_the_graphql_ws_client_hears_a_committed_mutation_and_not_a_refused_one(
    live: Live,
) -> None:
    assert (CLIENT.parent / "node_modules" / "graphql-ws").is_dir(), "run `make setup` first"
    async with http_graphql(live.address) as gql:
        ci = await a_ci(gql)
        number = (await open_incident(gql, [ci]))["number"]
        process = await asyncio.create_subprocess_exec(
            "node",
            str(CLIENT),
            f"ws://{live.address}/graphql",
            UPDATED,
            json.dumps({"filter": {"numbers": [number]}}),
            "1",
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "CMDB_WS_TOKEN": bearer()["authorization"].removeprefix("Bearer ")},
        )
        try:
            assert await line(process) == {"connected": True}
            await live.until_subscribed(INCIDENTS)

            refused = await transition(gql, number, "CLOSED")
            assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
            assert (await transition(gql, number, "IN_PROGRESS"))["errors"] == []

            assert await line(process) == {
                "data": {
                    "incidentUpdated": {
                        "incident": {"number": number, "state": "IN_PROGRESS"},
                        "operation": "transitionIncident",
                        "actor": "test-user",
                    }
                }
            }
            assert await asyncio.wait_for(process.wait(), PATIENCE) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
