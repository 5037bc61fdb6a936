"""Crash recovery of the embedded Neo4j: a killed JVM is never taken for a running server (not
as a zombie, not through a pid another process got since), `cmdb neo4j start` starts it again,
and a supervisor restarts a DBMS that ended unasked but not one that was stopped."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from graph import connect
from graph.embedded import Supervisor
from graph.embedded._launcher import free_port
from graph.embedded._process import is_running, start_ticks
from graph.embedded._supervisor import RestartPolicy
from tests.graph.embedded.test_embedded import embedded

CMDB = str(Path(sys.executable).parent / "cmdb")


def cli(data_dir: Path, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("NEO4J_")  # the embedded Neo4j, not the session's server
    }
    env |= {
        "CMDB_DATA_DIR": str(data_dir),
        "CMDB_NEO4J_PORT": str(port),
        "NEO4J_PASSWORD": "launcher-test-password",
        "CMDB_NEO4J_PAGECACHE": "64m",
        "CMDB_NEO4J_HEAP": "512m",
    }
    return subprocess.run(
        [CMDB, "neo4j", *args], env=env, capture_output=True, text=True, timeout=240
    )


def wait_for(condition: object, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached within {seconds:.0f} s")


async def write(uri: str, cypher: str) -> None:
    db = connect(uri, "neo4j", "launcher-test-password", "neo4j")
    await db.write_rows("t", cypher)
    await db.close()


async def read(uri: str, cypher: str) -> list[dict[str, object]]:
    db = connect(uri, "neo4j", "launcher-test-password", "neo4j")
    rows = await db.read_rows("t", cypher)
    await db.close()
    return rows


def test_a_pid_another_process_got_is_not_a_running_server(tmp_path: Path) -> None:
    other = subprocess.Popen(["sleep", "60"])
    try:
        info = {"pid": other.pid, "port": 1, "started": start_ticks(other.pid)}
        (tmp_path / "neo4j.pid").write_text(json.dumps(info))

        assert embedded(tmp_path, free_port()).status() is None
        assert not (tmp_path / "neo4j.pid").exists()
        assert not is_running(other.pid)
    finally:
        other.kill()
        other.wait()


def test_a_killed_server_left_a_zombie_is_not_running_and_starts_again(tmp_path: Path) -> None:
    port = free_port()
    server = embedded(tmp_path, port)
    running = server.start(watch_parent=True)
    try:
        os.kill(running.pid, signal.SIGKILL)
        # This process started it and does not reap it: a zombie with the same pid, which
        # signal 0 still reaches. Another process must not take it for a running server.
        wait_for(lambda: Path(f"/proc/{running.pid}/stat").read_text().split(") ")[1][0] == "Z")

        status = cli(tmp_path, port, "status")
        assert status.returncode == 3, status.stdout + status.stderr
        assert "not running" in status.stdout

        started = cli(tmp_path, port, "start")
        assert started.returncode == 0, started.stdout + started.stderr
        again = server.status()
        assert again is not None and again.pid != running.pid
        assert cli(tmp_path, port, "status").returncode == 0
    finally:
        cli(tmp_path, port, "stop")
        os.waitpid(running.pid, os.WNOHANG)
    assert server.status() is None


def test_the_supervisor_restarts_a_killed_server_but_not_a_stopped_one(tmp_path: Path) -> None:
    server = embedded(tmp_path, free_port())
    first = server.start(watch_parent=True)
    supervisor = Supervisor(server, first, RestartPolicy(first_delay=0.2, poll=0.1))
    supervisor.start()
    try:
        asyncio.run(write(first.uri, "CREATE (:Probe {value: 7})"))
        os.kill(first.pid, signal.SIGKILL)

        wait_for(lambda: supervisor.restarts == 1)
        again = server.status()
        assert again is not None and again.pid != first.pid
        assert not Path(f"/proc/{first.pid}").exists()  # reaped, no zombie left
        rows = asyncio.run(read(again.uri, "MATCH (p:Probe) RETURN p.value AS v"))
        assert rows == [{"v": 7}]
        log = server.log_file.read_text()
        assert log.count("--- starting Neo4j") == 2

        assert server.stop() is True
        wait_for(lambda: not supervisor.watching)  # it saw the stop and let it be
        assert supervisor.restarts == 1
        assert server.status() is None
    finally:
        supervisor.stop()
        server.stop()
