"""The embedded Neo4j launcher, against real JVMs of its own (not the session's server)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from graph import connect
from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home
from graph.embedded._launcher import Neo4jStartError, free_port
from graph.errors import GraphUnavailable


def embedded(data_dir: Path, port: int) -> EmbeddedNeo4j:
    return EmbeddedNeo4j(
        data_dir=data_dir,
        port=port,
        password="launcher-test-password",
        java_home=find_java_home(os.environ.get("CMDB_JAVA_HOME")),
        page_cache="64m",
        heap="512m",
    )


def test_build_is_skipped_when_its_sources_are_unchanged() -> None:
    assert build_launcher(find_java_home(os.environ.get("CMDB_JAVA_HOME"))) is False


def test_a_port_already_taken_is_refused_with_a_message_that_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(Neo4jStartError, match=rf"127\.0\.0\.1:{port} is already in use"):
            embedded(tmp_path, port).start(timeout=60)

    assert not (tmp_path / "neo4j.pid").exists()


def test_a_stale_pid_file_means_not_running(tmp_path: Path) -> None:
    (tmp_path / "neo4j.pid").write_text(json.dumps({"pid": 2**22 + 12345, "port": 1}))

    assert embedded(tmp_path, free_port()).status() is None
    assert not (tmp_path / "neo4j.pid").exists()


async def test_server_keeps_its_data_across_a_clean_stop_and_start(tmp_path: Path) -> None:
    server = embedded(tmp_path, free_port())
    running = server.start(watch_parent=True)
    try:
        assert server.status() == running
        db = connect(running.uri, "neo4j", "launcher-test-password", "neo4j")
        await db.write_rows("t", "CREATE (:Probe {value: 42})")
        await db.close()
    finally:
        assert server.stop() is True
    assert server.status() is None
    assert "Shutting down Neo4j" in server.log_file.read_text()

    again = server.start(watch_parent=True)
    try:
        db = connect(again.uri, "neo4j", "launcher-test-password", "neo4j")
        assert await db.read_rows("t", "MATCH (p:Probe) RETURN p.value AS value") == [{"value": 42}]
        await db.close()
        wrong = connect(again.uri, "neo4j", "not-the-password", "neo4j")
        with pytest.raises(GraphUnavailable, match="Neo4j refused the credentials"):
            await wrong.read_rows("t", "RETURN 1")
        await wrong.close()
    finally:
        server.stop()
