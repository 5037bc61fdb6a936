"""The embedded Neo4j: start the launcher (graph/embedded/_build.py builds it), wait for Bolt,
tell whether it runs, stop it. One DBMS per data folder; the folder holds `neo4j/` (the store),
`neo4j.log` (the JVM's output) and `neo4j.pid` (its pid, port and start time).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.embedded._build import TARGET_DIR
from graph.embedded._process import LAUNCHER_CLASS, exit_code, is_running, start_ticks
from graph.errors import GraphUnavailable

__all__ = [
    "EmbeddedNeo4j",
    "Neo4jStartError",
    "RunningNeo4j",
    "free_port",
    "read_or_create_password",
]

READY_LINE = "CMDB-NEO4J-READY"

# Flags Neo4j's own launch scripts pass to the JVM; the embedded DBMS needs them too.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dlog4j2.disable.jmx=true",
)


class Neo4jStartError(GraphUnavailable):
    """The DBMS did not come up; the message carries the end of its log."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_or_create_password(data_dir: Path, *, create: bool = True) -> str:
    """The embedded server's password when none is configured: made once, kept in the data
    folder (mode 0600), so no secret lives in code. With `create=False` (a client that must
    not leave files behind) a missing password raises `GraphUnavailable` instead."""
    path = data_dir / "neo4j.password"
    if path.exists():
        return path.read_text().strip()
    if not create:
        raise GraphUnavailable(
            f"no embedded Neo4j has started with the data folder {data_dir} ({path} does not "
            "exist: the first start writes it)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    path.touch(mode=0o600)
    path.write_text(password)
    return password


@dataclass(frozen=True)
class RunningNeo4j:
    pid: int
    port: int
    data_dir: Path
    started: int | None = None
    """When the process started (clock ticks since boot; None where /proc is not there)."""

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class EmbeddedNeo4j:
    """One embedded DBMS, identified by its data folder."""

    data_dir: Path
    port: int
    password: str
    java_home: Path
    page_cache: str = "512m"
    heap: str = "1g"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "neo4j.log"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "neo4j.pid"

    def status(self) -> RunningNeo4j | None:
        """The DBMS running on this data folder, or None. The pid file's process must be
        the launcher, alive and started when the file says: a zombie, or another process that
        got the number since, is not it (the stale pid file is removed)."""
        info = self._pid_info()
        if info is None:
            return None
        started = info.get("started")
        if not is_running(int(info["pid"]), started):
            self.pid_file.unlink(missing_ok=True)
            return None
        return RunningNeo4j(int(info["pid"]), int(info["port"]), self.data_dir, started)

    @property
    def stop_file(self) -> Path:
        return self.data_dir / "neo4j.stopped"

    def stopping(self) -> bool:
        """Whether `stop` was asked (by any process) since the last start: an end that is no
        crash, which no supervisor answers with a restart."""
        return self.stop_file.exists()

    def exit_code(self, running: RunningNeo4j) -> int | None:
        """None while `running` runs; once it has ended, its exit code (-1 when this process
        did not start it). Reaps it when this process did."""
        return exit_code(running.pid, running.started)

    def forget(self, running: RunningNeo4j) -> None:
        """Removes the pid file when it still names `running` (which has ended)."""
        info = self._pid_info()
        if info is not None and int(info["pid"]) == running.pid:
            self.pid_file.unlink(missing_ok=True)

    def _pid_info(self) -> dict[str, Any] | None:
        try:
            info = json.loads(self.pid_file.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # Half-written or damaged: nothing can be told from it.
            self.pid_file.unlink(missing_ok=True)
            return None
        return info if isinstance(info, dict) and "pid" in info else None

    def start(self, *, watch_parent: bool = False, timeout: float = 180.0) -> RunningNeo4j:
        """Starts the DBMS in the background and returns once Bolt accepts connections.
        With `watch_parent`, the JVM shuts itself down when this process exits, even by a
        crash. Raises `Neo4jStartError` with the end of the log when it fails."""
        running = self.status()
        if running is not None:
            return running
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.stop_file.unlink(missing_ok=True)
        classpath = f"{TARGET_DIR / 'cmdb-neo4j-1.0.jar'}:{TARGET_DIR / 'lib'}/*"
        command = [
            str(self.java_home / "bin/java"),
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            "-cp",
            classpath,
            LAUNCHER_CLASS,
            str(self.data_dir / "neo4j"),
            str(self.port),
            self.page_cache,
        ]
        env = {**os.environ, "CMDB_NEO4J_PASSWORD": self.password}
        if watch_parent:
            env["CMDB_NEO4J_PARENT_PID"] = str(os.getpid())
        with self.log_file.open("ab") as log:
            log.write(f"\n--- starting Neo4j on 127.0.0.1:{self.port} ---\n".encode())
            log.flush()
            offset = log.tell()
            # posix_spawn, not Popen: the DBMS outlives this call, and a Popen object
            # collected while its child runs is reported as a leak.
            pid = os.posix_spawn(
                command[0],
                command,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, log.fileno(), 1),
                    (os.POSIX_SPAWN_DUP2, log.fileno(), 2),
                ],
                setsid=True,
            )
        try:
            return self._await_ready(pid, offset, timeout)
        except BaseException:
            # No DBMS is left running that no pid file names (a full disk refuses the file).
            self.kill(RunningNeo4j(pid, self.port, self.data_dir))
            raise

    def _await_ready(self, pid: int, offset: int, timeout: float) -> RunningNeo4j:
        started = start_ticks(pid)
        self._write_pid_file({"pid": pid, "port": self.port, "started": started})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = exit_code(pid)
            if code is not None:
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jStartError(
                    f"Neo4j exited with code {code} during start-up. "
                    f"End of {self.log_file}:\n{self._log_tail(offset)}"
                )
            if READY_LINE in self._log_since(offset) and _bolt_answers(self.port):
                return RunningNeo4j(pid, self.port, self.data_dir, started)
            time.sleep(0.25)
        raise Neo4jStartError(
            f"Neo4j did not answer on Bolt within {timeout:.0f}s. "
            f"End of {self.log_file}:\n{self._log_tail(offset)}"
        )

    def kill(self, running: RunningNeo4j) -> None:
        """SIGKILL to `running` if it still runs (reaped when this process started it), and
        its pid file removed."""
        if exit_code(running.pid) is None:
            os.kill(running.pid, signal.SIGKILL)
            while exit_code(running.pid) is None:
                time.sleep(0.05)
        self.forget(running)

    def stop(self, timeout: float = 60.0) -> bool:
        """Sends SIGTERM and waits for a clean shutdown (SIGKILL after `timeout`).
        Returns whether a running DBMS was stopped."""
        running = self.status()
        if running is None:
            return False
        self.stop_file.touch()
        os.kill(running.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while is_running(running.pid, running.started) and time.monotonic() < deadline:
            time.sleep(0.2)
        if is_running(running.pid, running.started):
            os.kill(running.pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _write_pid_file(self, info: dict[str, Any]) -> None:
        # Written whole then renamed: a reader never sees half of it.
        partial = self.pid_file.with_suffix(".pid.partial")
        partial.write_text(json.dumps(info))
        partial.replace(self.pid_file)

    def _log_since(self, offset: int) -> str:
        with self.log_file.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def _log_tail(self, offset: int, lines: int = 30) -> str:
        return "\n".join(self._log_since(offset).splitlines()[-lines:])


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False
