"""`cmdb import-incidents` against the test session's Neo4j: history from the tool being
replaced, as JSON or as two CSV files."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from api._demo import DEMO_INCIDENTS
from api.cli import app
from graph.imports import DEMO_FILE
from tests.conftest import TestServer as Server

runner = CliRunner()


async def cmdb(server: Server, *args: str) -> Result:
    """Runs the CLI in a thread: it starts its own event loop, as from a shell."""
    environment = {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
        "CMDB_ACTOR": "cli-test",
        "COLUMNS": "160",
    }
    return await asyncio.to_thread(runner.invoke, app, list(args), env=environment)


async def test_the_demo_history_imports_once_from_json(server: Server) -> None:
    assert (await cmdb(server, "import", str(DEMO_FILE))).exit_code == 0

    first = await cmdb(server, "import-incidents", str(DEMO_INCIDENTS))
    again = await cmdb(server, "import-incidents", str(DEMO_INCIDENTS))

    assert first.exit_code == 0, first.output
    assert "importing 24 incidents from source 'demo'" in first.output
    assert "created 24 incidents, 0 imported before" in first.output
    assert again.exit_code == 0, again.output
    assert "created 0 incidents, 24 imported before (left as they are)" in again.output


async def test_a_csv_history_with_its_transitions_file_imports(
    server: Server, tmp_path: Path
) -> None:
    assert (await cmdb(server, "import", str(DEMO_FILE))).exit_code == 0
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "externalId,title,category,impact,urgency,affectedCiIds,openedAt\n"
        "SN-1,Orders DB slow,APPLICATION,1,2,db-orders,2026-11-02T09:00:00+00:00\n"
        "SN-2,Laptop request,SERVICE_REQUEST,3,3,app-wms,2026-11-03T09:00:00+00:00\n"
    )
    transitions = tmp_path / "transitions.csv"
    transitions.write_text(
        "externalId,to,at,note\n"
        "SN-1,IN_PROGRESS,2026-11-02T09:05:00+00:00,on it\n"
        "SN-1,RESOLVED,2026-11-02T10:00:00+00:00,\n"
    )

    result = await cmdb(
        server,
        "import-incidents",
        str(incidents),
        "--transitions",
        str(transitions),
        "--source",
        "servicenow",
        "--ci-source",
        "demo",
    )

    assert result.exit_code == 0, result.output
    assert "created 2 incidents, 0 imported before" in result.output


async def test_bad_rows_are_listed_and_nothing_is_written(server: Server, tmp_path: Path) -> None:
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "externalId,title,category,impact,urgency,affectedCiIds,openedAt\n"
        "SN-1,,APPLICATION,1,2,no-such-ci,2026-11-02T09:00:00+00:00\n"
        "SN-2,Laptop,TOASTER,3,3,app-wms,yesterday\n"
    )

    result = await cmdb(server, "import-incidents", str(incidents), "--source", "servicenow")
    unreadable = await cmdb(server, "import-incidents", str(incidents))

    assert result.exit_code == 1, result.output
    assert "incidents[0].title: title is required (REQUIRED)" in result.output
    assert "incidents[1].category" in result.output and "incidents[1].openedAt" in result.output
    assert "nothing written" in result.output
    assert unreadable.exit_code == 2
    assert "a CSV history needs --source" in unreadable.output
