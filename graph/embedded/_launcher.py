"""The embedded Neo4j: build the launcher from Maven artifacts, start it, wait for Bolt, stop it.

The Java side is `graph/embedded/` (a Maven project around Neo4j's
`DatabaseManagementServiceBuilder` with the Bolt connector). One DBMS per data folder; the
folder holds `neo4j/` (the store), `neo4j.log` (the JVM's output) and `neo4j.pid`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graph.errors import GraphUnavailable

__all__ = [
    "EmbeddedNeo4j",
    "Neo4jBuildError",
    "Neo4jStartError",
    "RunningNeo4j",
    "build_launcher",
    "find_java_home",
    "free_port",
    "read_or_create_password",
]

PROJECT_DIR = Path(__file__).parent
TARGET_DIR = PROJECT_DIR / "target"
BUILD_STAMP = TARGET_DIR / ".cmdb-build-hash"
READY_LINE = "CMDB-NEO4J-READY"
MIN_JAVA = 21

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


class Neo4jBuildError(RuntimeError):
    """Maven could not build the launcher; the message carries the end of its output."""


class Neo4jStartError(GraphUnavailable):
    """The DBMS did not come up; the message carries the end of its log."""


def find_java_home(explicit: str | None = None) -> Path:
    """The JDK to build and run Neo4j with: `explicit` if given, else the newest JDK of at
    least Java 21 under /usr/lib/jvm (Neo4j 2025.10+ runs on Java 21 and 25)."""
    if explicit:
        return Path(explicit)
    candidates: list[tuple[int, Path]] = []
    for release in Path("/usr/lib/jvm").glob("*/release"):
        match = re.search(r'JAVA_VERSION="(\d+)', release.read_text(errors="replace"))
        if match and int(match.group(1)) >= MIN_JAVA and (release.parent / "bin/javac").exists():
            candidates.append((int(match.group(1)), release.parent))
    if not candidates:
        raise Neo4jBuildError(
            f"No JDK {MIN_JAVA}+ found under /usr/lib/jvm; set CMDB_JAVA_HOME to one"
        )
    return max(candidates)[1]


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([PROJECT_DIR / "pom.xml", *PROJECT_DIR.glob("src/**/*.java")]):
        digest.update(path.relative_to(PROJECT_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_launcher(
    java_home: Path, *, force: bool = False, on_build: Callable[[], None] | None = None
) -> bool:
    """Builds the launcher with Maven unless its sources are unchanged since the last build.
    Returns whether it built; `on_build` is called before Maven starts (a caller's progress
    line). The first build downloads Neo4j's jars (about 150 MB)."""
    wanted = _sources_hash()
    if not force and BUILD_STAMP.exists() and BUILD_STAMP.read_text() == wanted:
        return False
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jBuildError("Maven (mvn) is not on PATH; it builds the embedded Neo4j")
    if on_build is not None:
        on_build()
    env = {**os.environ, "JAVA_HOME": str(java_home)}
    result = subprocess.run(
        [mvn, "-B", "-q", "-f", str(PROJECT_DIR / "pom.xml"), "clean", "package"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        raise Neo4jBuildError(f"Maven failed to build the embedded Neo4j:\n{tail}")
    BUILD_STAMP.write_text(wanted)
    return True


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
        """The DBMS running on this data folder, or None (a stale pid file is removed)."""
        if not self.pid_file.exists():
            return None
        info = json.loads(self.pid_file.read_text())
        if not _alive(int(info["pid"])):
            self.pid_file.unlink(missing_ok=True)
            return None
        return RunningNeo4j(int(info["pid"]), int(info["port"]), self.data_dir)

    def start(self, *, watch_parent: bool = False, timeout: float = 180.0) -> RunningNeo4j:
        """Starts the DBMS in the background and returns once Bolt accepts connections.
        With `watch_parent`, the JVM shuts itself down when this process exits, even by a
        crash. Raises `Neo4jStartError` with the end of the log when it fails."""
        running = self.status()
        if running is not None:
            return running
        self.data_dir.mkdir(parents=True, exist_ok=True)
        classpath = f"{TARGET_DIR / 'cmdb-neo4j-1.0.jar'}:{TARGET_DIR / 'lib'}/*"
        command = [
            str(self.java_home / "bin/java"),
            f"-Xmx{self.heap}",
            *JVM_FLAGS,
            "-cp",
            classpath,
            "cmdb.neo4j.Launcher",
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
        self.pid_file.write_text(json.dumps({"pid": pid, "port": self.port}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = _exit_code(pid)
            if code is not None:
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jStartError(
                    f"Neo4j exited with code {code} during start-up. "
                    f"End of {self.log_file}:\n{self._log_tail(offset)}"
                )
            if READY_LINE in self._log_since(offset) and _bolt_answers(self.port):
                return RunningNeo4j(pid, self.port, self.data_dir)
            time.sleep(0.25)
        os.kill(pid, signal.SIGTERM)
        self.pid_file.unlink(missing_ok=True)
        raise Neo4jStartError(
            f"Neo4j did not answer on Bolt within {timeout:.0f}s. "
            f"End of {self.log_file}:\n{self._log_tail(offset)}"
        )

    def stop(self, timeout: float = 60.0) -> bool:
        """Sends SIGTERM and waits for a clean shutdown (SIGKILL after `timeout`).
        Returns whether a running DBMS was stopped."""
        running = self.status()
        if running is None:
            return False
        os.kill(running.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(running.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(running.pid):
            os.kill(running.pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _log_since(self, offset: int) -> str:
        with self.log_file.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def _log_tail(self, offset: int, lines: int = 30) -> str:
        return "\n".join(self._log_since(offset).splitlines()[-lines:])


def _exit_code(pid: int) -> int | None:
    """The exit code of our child `pid` if it has ended, else None."""
    try:
        waited, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None if _alive(pid) else -1
    return os.waitstatus_to_exitcode(status) if waited else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by us) is not alive.
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return waited == 0


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False
