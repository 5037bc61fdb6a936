"""`cmdb import` and `cmdb export` against the test session's Neo4j (NEO4J_URI)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from api.cli import app
from graph import Database
from graph.imports._demo import DEMO_FILE
from tests.conftest import CLEAR_GRAPH
from tests.conftest import TestServer as Server

runner = CliRunner()


async def cmdb(server: Server, *args: str, **env: str) -> Result:
    """Runs the CLI in a thread: it starts its own event loop, as from a shell."""
    environment = {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
        "CMDB_ACTOR": "cli-test",
        "COLUMNS": "120",
        **env,
    }
    return await asyncio.to_thread(runner.invoke, app, list(args), env=environment)


async def test_import_shows_progress_and_a_summary(server: Server, tmp_path: Path) -> None:
    result = await cmdb(server, "import", str(DEMO_FILE))

    assert result.exit_code == 0, result.output
    assert "importing 76 CIs and 152 relationships from source 'demo'" in result.output
    assert "relationships" in result.output and "━" in result.output
    assert "│ CIs           │ 76      │ 0       │ 0                     │ 0      │" in result.output
    assert "imported in" in result.output

    again = await cmdb(server, "import", str(DEMO_FILE))

    assert "│ CIs           │ 0       │ 0       │ 76                    │ 0      │" in again.output
    assert "│ relationships │ 0       │ 0       │ 152                   │ 0      │" in again.output


async def test_export_import_into_an_empty_graph_and_export_again_gives_the_same_file(
    server: Server, db: Database, tmp_path: Path
) -> None:
    await cmdb(server, "import", str(DEMO_FILE))
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    exported = await cmdb(server, "export", str(first))
    await db.write_rows("t.clear", CLEAR_GRAPH)
    imported = await cmdb(server, "import", str(first))
    await cmdb(server, "export", str(second))

    assert exported.exit_code == 0 and imported.exit_code == 0, imported.output
    assert "exported 76 CIs and 152 relationships" in exported.output
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text())["source"] == "cmdb"


async def test_export_writes_to_standard_output_by_default(server: Server) -> None:
    await cmdb(server, "import", str(DEMO_FILE))

    result = await cmdb(server, "export", "--source", "demo")

    document = json.loads(result.stdout)
    original = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert {ci["externalId"] for ci in document["cis"]} == {
        ci["externalId"] for ci in original["cis"]
    }
    assert len(document["relationships"]) == len(original["relationships"])


async def test_a_bad_csv_row_is_reported_with_its_line_and_nothing_is_written(
    server: Server, db: Database, tmp_path: Path
) -> None:
    cis = tmp_path / "cis.csv"
    cis.write_text("externalId,name,class\na,srv-a,SERVER\n\nb,srv-b,SERVERR\n", encoding="utf-8")

    refused = await cmdb(server, "import", str(cis), "--source", "sheet")

    assert refused.exit_code == 1
    assert "cis[1] (line 4) class: unknown class 'SERVERR'" in refused.output
    assert "nothing written" in refused.output
    assert await db.read_rows("t", "MATCH (c:CI) RETURN c.name AS name") == []

    skipped = await cmdb(server, "import", str(cis), "--source", "sheet", "--skip-invalid")

    assert skipped.exit_code == 0
    assert await db.read_rows("t", "MATCH (c:CI) RETURN c.name AS name") == [{"name": "srv-a"}]


async def test_csv_export_and_import_round_trip(
    server: Server, db: Database, tmp_path: Path
) -> None:
    await cmdb(server, "import", str(DEMO_FILE))
    cis, edges = tmp_path / "cis.csv", tmp_path / "edges.csv"

    exported = await cmdb(server, "export", str(cis), "--relationships", str(edges))
    await db.write_rows("t.clear", CLEAR_GRAPH)
    imported = await cmdb(
        server, "import", str(cis), "--relationships", str(edges), "--source", "cmdb"
    )
    again = await cmdb(
        server,
        "export",
        str(tmp_path / "again.csv"),
        "--relationships",
        str(tmp_path / "again-edges.csv"),
    )

    assert exported.exit_code == imported.exit_code == again.exit_code == 0, imported.output
    assert (tmp_path / "again.csv").read_bytes() == cis.read_bytes()
    assert (tmp_path / "again-edges.csv").read_bytes() == edges.read_bytes()


async def test_a_file_that_cannot_be_read_is_refused_before_connecting(
    server: Server, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"source": "x", "cis": [\n  {"name": }\n]}', encoding="utf-8")

    result = await cmdb(server, "import", str(broken))

    assert result.exit_code == 2
    assert "not valid JSON at line 2" in result.output


async def test_a_malformed_precedence_setting_stops_the_command_with_its_name(
    server: Server,
) -> None:
    result = await cmdb(server, "import", str(DEMO_FILE), CMDB_IMPORT_PRECEDENCE="a;b")

    assert result.exit_code == 2
    assert "CMDB_IMPORT_PRECEDENCE" in result.output
