"""The GraphQL-over-HTTP audit of graphql-http (`auditServer`, tests/conformance/audit.mjs)
against a live server: uvicorn started as `cmdb serve`, over the session's Neo4j."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from graph import Database
from tests import conftest
from tests.live import serve_process

AUDIT = Path(__file__).parents[1] / "conformance"
CHECKS = 61


@pytest.fixture
async def live_server(server: conftest.TestServer, db: Database) -> AsyncIterator[str]:
    async with serve_process(server) as base:
        yield f"{base}/graphql"


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
