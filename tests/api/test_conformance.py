"""The GraphQL-over-HTTP audit of graphql-http (`auditServer`, tests/conformance/audit.mjs)
against a live server: uvicorn started as `cmdb serve`, over the session's Neo4j."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from graph import Database
from graph.embedded import free_port
from tests import conftest

AUDIT = Path(__file__).parents[1] / "conformance"
CHECKS = 61


@pytest.fixture
async def live_server(server: conftest.TestServer, db: Database) -> AsyncIterator[str]:
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
        **conftest.AUTH_ENV,
    }
    cmdb = Path(sys.executable).parent / "cmdb"
    process = await asyncio.create_subprocess_exec(
        str(cmdb), "serve", "--no-migrate", env=env, stdout=asyncio.subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                assert process.returncode is None, "cmdb serve stopped"
                try:
                    if (await http.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("cmdb serve did not answer /healthz")
        yield f"{base}/graphql"
    finally:
        process.terminate()
        await process.wait()


async def test_every_check_of_the_graphql_over_http_audit_is_ok(live_server: str) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the audit (make test installs its packages)"
    assert (AUDIT / "node_modules" / "graphql-http").is_dir(), "run make test (npm ci)"
    # The audit asks as an admin would (the API serves no data to anonymous clients).
    token = conftest.bearer()["authorization"].removeprefix("Bearer ")
    audit = await asyncio.create_subprocess_exec(
        node,
        str(AUDIT / "audit.mjs"),
        live_server,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "CMDB_AUDIT_TOKEN": token},
    )
    output, _ = await audit.communicate()

    report = json.loads(output)
    failing = [r for r in report["results"] if r["status"] != "ok"]
    assert failing == []
    assert (report["ok"], report["warn"], report["error"]) == (CHECKS, 0, 0)
