"""The benchmark's own servers: an embedded Neo4j sized for the graph, and the product's API
under uvicorn. Each is a context manager that stops what it started, even on failure."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt
import neo4j

from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home, free_port

__all__ = [
    "ROOT",
    "Neo4jTarget",
    "ProductAPI",
    "bench_authorization",
    "embedded_neo4j",
    "neo4j_sizes",
    "product_api",
    "stop_process",
    "terminate_leftovers",
]

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str
    database: str
    page_cache: str | None = None
    heap: str | None = None

    def environment(self) -> dict[str, str]:
        """The product's (and the peer's) settings naming this server."""
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": self.user,
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": self.database,
        }


def neo4j_sizes(cis: int) -> tuple[str, str]:
    """Page cache and heap for a graph of `cis` CIs (about 4 relationships each, plus one
    history event per CI and relationship): the store of 100k CIs is about 1 GB. At 1m the
    store (about 10 GB) is not all cached: the machine's 23 GB also hold the benchmark's own
    process and two API workers with a projection of a million CIs each."""
    if cis <= 20_000:
        return "512m", "1g"
    if cis <= 200_000:
        return "2g", "4g"
    return "6g", "4g"


@contextmanager
def embedded_neo4j(work_dir: Path, cis: int) -> Iterator[Neo4jTarget]:
    """A Neo4j of its own on a free loopback port with a throw-away data folder under
    `work_dir`, removed afterwards."""
    java_home = find_java_home(os.environ.get("CMDB_JAVA_HOME"))
    build_launcher(java_home)
    work_dir.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="neo4j-", dir=work_dir))
    page_cache, heap = neo4j_sizes(cis)
    password = secrets.token_urlsafe(18)
    embedded = EmbeddedNeo4j(data_dir, free_port(), password, java_home, page_cache, heap)
    try:
        running = embedded.start(watch_parent=True)
        yield Neo4jTarget(running.uri, "neo4j", password, "neo4j", page_cache, heap)
    finally:
        embedded.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """SIGTERM to the process group we started (uvicorn's or node's workers included, even if
    the leader is gone), then SIGKILL after `timeout`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass(frozen=True)
class ProductAPI:
    url: str
    """Its /graphql URL."""
    group: int
    """The process group of uvicorn and its workers (bench/_memory.py reads their sizes)."""


_JWT_SECRET = secrets.token_urlsafe(32)
"""The HS256 secret of this run's product API: its clients sign their admin JWT with it."""


def bench_authorization() -> dict[str, str]:
    """The Authorization header of the benchmark's clients: an admin JWT for this run's API."""
    claims = {"sub": "bench", "roles": ["admin"], "exp": int(time.time()) + 86_400}
    return {"authorization": f"Bearer {jwt.encode(claims, _JWT_SECRET, 'HS256')}"}


@contextmanager
def product_api(
    target: Neo4jTarget,
    workers: int,
    log_file: Path,
    ready_s: float = 90,
    settings: dict[str, str] | None = None,
) -> Iterator[ProductAPI]:
    """The product's GraphQL API under uvicorn with `workers` processes on a free loopback
    port; yields it once /readyz answers 200 and every worker has started (uvicorn logs
    "Application startup complete." per worker, after the lifespan, which loads the topology
    projection), within `ready_s`. `settings`: more of the product's environment."""
    port = free_port()
    env = {
        **os.environ,
        **target.environment(),
        "CMDB_LOG_LEVEL": "warning",
        "CMDB_JWT_SECRET": _JWT_SECRET,
        "PYTHONPATH": str(ROOT),
        **(settings or {}),
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench._serve:create",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        # info: uvicorn's start-up lines, which say when each worker serves; no access log.
        "--log-level",
        "info",
        "--no-access-log",
    ]
    base = f"http://127.0.0.1:{port}"
    offset = log_file.stat().st_size if log_file.exists() else 0
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    try:
        _wait_ready(process, f"{base}/readyz", log_file, (offset, workers), ready_s)
        yield ProductAPI(f"{base}/graphql", process.pid)
    finally:
        stop_process(process)


STARTED = b"Application startup complete."


def _wait_ready(
    process: subprocess.Popen[bytes],
    url: str,
    log_file: Path,
    workers: tuple[int, int],
    ready_s: float,
) -> None:
    """Until `url` answers 200 and the log, from byte `workers[0]` on, says that `workers[1]`
    workers started."""
    deadline = time.monotonic() + ready_s
    offset, count = workers
    with httpx.Client(trust_env=False, timeout=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the product API exited with {process.returncode}: {log_file}")
            try:
                if client.get(url).status_code == 200:
                    with log_file.open("rb") as log:
                        log.seek(offset)
                        if log.read().count(STARTED) >= count:
                            return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
    raise RuntimeError(f"the product API was not ready within {ready_s:.0f} s: see {log_file}")


async def terminate_leftovers(target: Neo4jTarget) -> int:
    """Terminates the transactions still running on the benchmark's Neo4j (the work of
    requests the clients gave up on), so that they do not weigh on the next question.
    Returns how many there were."""
    async with (
        neo4j.AsyncGraphDatabase.driver(
            target.uri, auth=(target.user, target.password), notifications_min_severity="OFF"
        ) as driver,
        driver.session(database=target.database) as session,
    ):
        result = await session.run(
            "SHOW TRANSACTIONS YIELD transactionId, currentQuery "
            "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
            "RETURN collect(transactionId) AS ids"
        )
        record = await result.single()
        ids = record["ids"] if record else []
        if ids:
            await (await session.run("TERMINATE TRANSACTIONS $ids", ids=ids)).consume()
        return len(ids)
