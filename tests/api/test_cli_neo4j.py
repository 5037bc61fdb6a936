"""`cmdb neo4j start|status|stop` on a data folder of its own: the long start says so."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from api.cli import app
from graph.embedded import free_port

runner = CliRunner()


async def cmdb(data_dir: Path, port: int, *args: str) -> Result:
    environment = {
        "NEO4J_URI": None,
        "NEO4J_PASSWORD": None,
        "CMDB_DATA_DIR": str(data_dir),
        "CMDB_NEO4J_PORT": str(port),
        "CMDB_NEO4J_PAGECACHE": "64m",
        "CMDB_NEO4J_HEAP": "512m",
        "COLUMNS": "200",
    }
    return await asyncio.to_thread(runner.invoke, app, list(args), env=environment)


async def test_neo4j_start_says_it_is_starting_then_where_it_runs(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()

    started = await cmdb(data, port, "neo4j", "start")
    try:
        status = await cmdb(data, port, "neo4j", "status")
        again = await cmdb(data, port, "neo4j", "start")
    finally:
        stopped = await cmdb(data, port, "neo4j", "stop")

    assert started.exit_code == 0, started.output
    assert f"starting Neo4j on 127.0.0.1:{port} (data {data}; up to a minute)..." in (
        started.output
    )
    assert f"Neo4j running: bolt://127.0.0.1:{port}" in started.output
    assert f"Neo4j running: bolt://127.0.0.1:{port}" in status.output
    assert "starting Neo4j" not in again.output
    assert stopped.exit_code == 0 and "Neo4j stopped" in stopped.output
