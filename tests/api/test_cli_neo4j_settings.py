"""The commands that reach Neo4j, run as from a shell: when nothing answers they say where they
looked, which settings chose that, and how to start the embedded server; they leave no file."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api._demo import DEMO_INCIDENTS
from api.cli import app
from graph import Database
from graph.embedded import free_port
from graph.imports import DEMO_FILE
from tests.conftest import TestServer as Server

runner = CliRunner()

# Each command that reaches Neo4j; the exports name files they must not create.
COMMANDS = [
    pytest.param(["migrate"], id="migrate"),
    pytest.param(["migrate", "--status"], id="migrate --status"),
    pytest.param(["import", str(DEMO_FILE)], id="import demo.json"),
    pytest.param(["export", "exported.json"], id="export exported.json"),
    pytest.param(["export", "cis.csv", "--relationships", "edges.csv"], id="export csv"),
    pytest.param(["seed-demo"], id="seed-demo"),
    pytest.param(["import-incidents", str(DEMO_INCIDENTS)], id="import-incidents"),
    pytest.param(["refresh-topology"], id="refresh-topology"),
]
# The settings of the environment the test runs in, which must not leak into the command.
NEO4J_SETTINGS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
CMDB_SETTINGS = ("CMDB_DATA_DIR", "CMDB_NEO4J_PORT")


async def cmdb(*args: str, **env: str | None) -> Result:
    """Runs the CLI in a thread (it starts its own event loop) with only the given Neo4j
    settings."""
    environment: dict[str, str | None] = dict.fromkeys((*NEO4J_SETTINGS, *CMDB_SETTINGS))
    environment.update({"COLUMNS": "200", "CMDB_ACTOR": "cli-test", **env})
    return await asyncio.to_thread(runner.invoke, app, list(args), env=environment)


def assert_no_traceback(result: Result) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS)
async def test_without_an_embedded_neo4j_the_command_names_the_uri_the_settings_and_make_run(
    command: list[str], workdir: Path
) -> None:
    port = free_port()

    result = await cmdb(*command, CMDB_NEO4J_PORT=str(port))

    assert_no_traceback(result)
    assert f"Cannot connect to Neo4j at bolt://127.0.0.1:{port}" in result.output
    assert f"no embedded Neo4j has started with the data folder {workdir / 'data'}" in (
        result.output
    )
    for setting in ("NEO4J_URI", "CMDB_NEO4J_PORT", "CMDB_DATA_DIR", "NEO4J_PASSWORD"):
        assert re.search(rf"^  {setting} +\S", result.output, re.M), setting
    assert "`make run` (or `cmdb neo4j start`)" in result.output
    assert list(workdir.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_server_named_by_neo4j_uri_that_does_not_answer_is_named_with_its_settings(
    command: list[str], workdir: Path
) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"

    result = await cmdb(*command, NEO4J_URI=uri, NEO4J_PASSWORD="secret-of-the-test")

    assert_no_traceback(result)
    assert f"Cannot connect to Neo4j at {uri}" in result.output
    assert "Neo4j is not reachable" in result.output
    for setting, value in [
        ("NEO4J_URI", uri),
        ("NEO4J_USER", "neo4j"),
        ("NEO4J_PASSWORD", "set"),
        ("NEO4J_DATABASE", "neo4j"),
    ]:
        assert re.search(rf"^  {setting} +{re.escape(value)}$", result.output, re.M), setting
    assert "secret-of-the-test" not in result.output
    assert "`make run` (or `cmdb neo4j start`)" in result.output
    assert list(workdir.iterdir()) == []


async def test_an_embedded_neo4j_that_has_run_but_is_stopped_is_reported_and_nothing_is_written(
    workdir: Path,
) -> None:
    data = workdir / "neo4j-data"
    data.mkdir()
    (data / "neo4j.password").write_text("made-by-an-earlier-start")
    port = free_port()

    result = await cmdb(
        "export", "exported.json", CMDB_DATA_DIR=str(data), CMDB_NEO4J_PORT=str(port)
    )

    assert_no_traceback(result)
    assert f"Cannot connect to Neo4j at bolt://127.0.0.1:{port}" in result.output
    assert "Neo4j is not reachable" in result.output
    assert "made-by-an-earlier-start" not in result.output
    assert sorted(p.name for p in workdir.rglob("*")) == ["neo4j-data", "neo4j.password"]


async def test_a_malformed_neo4j_uri_is_a_bad_setting_not_a_traceback(workdir: Path) -> None:
    result = await cmdb("migrate", NEO4J_URI="localhost:7687", NEO4J_PASSWORD="x")

    assert result.exit_code == 2, result.output
    assert "Bad setting: NEO4J_URI must be bolt://host:port" in result.output
    assert list(workdir.iterdir()) == []


async def test_a_wrong_password_is_reported_with_the_settings_and_nothing_is_written(
    server: Server, workdir: Path
) -> None:
    result = await cmdb(
        "export", "exported.json", NEO4J_URI=server.uri, NEO4J_PASSWORD="not-the-password"
    )

    assert_no_traceback(result)
    assert f"Cannot connect to Neo4j at {server.uri}" in result.output
    assert "Neo4j refused the credentials" in result.output
    assert re.search(r"^  NEO4J_PASSWORD +set$", result.output, re.M)
    assert "not-the-password" not in result.output
    assert list(workdir.iterdir()) == []


async def test_the_same_commands_work_against_the_test_neo4j(
    server: Server, db: Database, workdir: Path
) -> None:
    settings = {
        "NEO4J_URI": server.uri,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
    }

    migrated = await cmdb("migrate", **settings)
    seeded = await cmdb("seed-demo", **settings)
    refreshed = await cmdb("refresh-topology", **settings)
    exported = await cmdb("export", "exported.json", **settings)

    assert migrated.exit_code == 0 and "migrations: up to date" in migrated.output
    assert seeded.exit_code == 0
    assert (
        "demo data: loaded 76 CIs, 152 relationships, 24 incidents, 2 problems, 10 changes, "
        "1 freeze, 1 release, 4 service levels and 75 capacity readings" in seeded.output
    )
    assert refreshed.exit_code == 0 and "topology change announced" in refreshed.output
    assert exported.exit_code == 0, exported.output
    assert (workdir / "exported.json").stat().st_size > 0
    assert await db.read_rows("t", "MATCH (c:CI) RETURN count(c) AS cis") == [{"cis": 76}]
