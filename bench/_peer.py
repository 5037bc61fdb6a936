"""The peer: the same questions served by the Neo4j GraphQL Library (bench/peer/, its own
engineer's work) against the same Neo4j.

The contract: `node bench/peer/server.mjs` with NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE, PEER_PORT and PEER_WORKERS prints `PEER READY http://HOST:PORT/graphql` once it
listens; `bench/peer/queries.json` maps each question key to
`{"query": str | null, "variables": [names], "equivalent": bool, "partial": bool, "note": str}`
(`partial`: it answers part of the question, the part its note names).
Anything missing makes the peer unavailable with a reason, never a silent gap.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._stack import Neo4jTarget, stop_process
from graph.embedded import free_port

__all__ = ["Peer", "PeerQuery", "peer_server"]

READY = re.compile(r"PEER READY (https?://\S+)")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
START_TIMEOUT_S = 180
INSTALL_TIMEOUT_S = 900


@dataclass(frozen=True)
class PeerQuery:
    query: str | None
    variables: tuple[str, ...]
    equivalent: bool
    note: str
    partial: bool = False
    """It answers part of the question only (its note says which part)."""


@dataclass
class Peer:
    """A running peer (`url` set) or the reason there is none."""

    url: str | None = None
    reason: str | None = None
    queries: dict[str, PeerQuery] = field(default_factory=dict)
    version: str | None = None

    @property
    def available(self) -> bool:
        return self.url is not None


class _Unavailable(Exception):
    pass


def _read_queries(path: Path) -> dict[str, PeerQuery]:
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return {
            key: PeerQuery(
                query=entry.get("query"),
                variables=tuple(entry.get("variables") or ()),
                equivalent=bool(entry.get("equivalent", False)),
                note=str(entry.get("note") or ""),
                partial=bool(entry.get("partial", False)),
            )
            for key, entry in raw.items()
        }
    except (OSError, ValueError, AttributeError, TypeError) as error:
        raise _Unavailable(f"{path} cannot be read: {error}") from error


def _install(peer_dir: Path, log_file: Path) -> None:
    """`npm ci` when package-lock.json exists and changed since the last install."""
    lock = peer_dir / "package-lock.json"
    if not lock.exists():
        return
    stamp = peer_dir / "node_modules" / ".bench-installed"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise _Unavailable("npm is not on PATH")
    with log_file.open("ab") as log:
        try:
            result = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund"],
                cwd=peer_dir,
                stdout=log,
                stderr=log,
                timeout=INSTALL_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise _Unavailable(f"npm ci took over {INSTALL_TIMEOUT_S} s") from error
    if result.returncode != 0:
        raise _Unavailable(f"npm ci failed (exit {result.returncode}): see {log_file}")
    stamp.write_text(wanted)


def _library_version(peer_dir: Path) -> str | None:
    try:
        package = json.loads((peer_dir / "node_modules/@neo4j/graphql/package.json").read_text())
        return f"@neo4j/graphql {package['version']}"
    except (OSError, ValueError, KeyError):
        return None


def _wait_ready(process: subprocess.Popen[bytes], log_file: Path) -> str:
    """Copies the peer's output to its log and returns the URL of its READY line."""
    found: list[str] = []
    ready = threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        with log_file.open("ab") as log:
            for line in iter(process.stdout.readline, b""):
                log.write(line)
                log.flush()
                match = READY.search(line.decode(errors="replace"))
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
        ready.set()

    threading.Thread(target=drain, name="peer-output", daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ready.wait(0.5):
        if time.monotonic() > deadline:
            raise _Unavailable(f"no 'PEER READY' line within {START_TIMEOUT_S} s: see {log_file}")
    if not found:
        raise _Unavailable(f"it exited ({process.poll()}) before 'PEER READY': see {log_file}")
    return found[0]


@contextmanager
def peer_server(
    peer_dir: Path,
    target: Neo4jTarget,
    workers: int,
    log_file: Path,
    enabled: bool = True,
    why_not: str = "disabled (--no-peer)",
) -> Iterator[Peer]:
    """Installs and starts the peer against `target` unless not `enabled` (then `why_not`
    is the reason); yields it, or why it is unavailable. Stops it (its whole process group)
    on the way out."""
    process: subprocess.Popen[bytes] | None = None
    peer = Peer()
    try:
        try:
            if not enabled:
                raise _Unavailable(why_not)
            process = _start(peer, peer_dir, target, workers, log_file)
        except _Unavailable as reason:
            peer.url, peer.reason = None, str(reason)
        yield peer
    finally:
        if process is not None:
            stop_process(process)


def _start(
    peer: Peer, peer_dir: Path, target: Neo4jTarget, workers: int, log_file: Path
) -> subprocess.Popen[bytes]:
    process = None
    try:
        server = peer_dir / "server.mjs"
        if not server.exists():
            raise _Unavailable(f"{server} does not exist")
        peer.queries = _read_queries(peer_dir / "queries.json")
        node = shutil.which("node")
        if node is None:
            raise _Unavailable("node is not on PATH")
        _install(peer_dir, log_file)
        peer.version = _library_version(peer_dir)
        env = {
            **os.environ,
            **target.environment(),
            "PEER_PORT": str(free_port()),
            "PEER_WORKERS": str(workers),
        }
        process = subprocess.Popen(
            [node, server.name],
            cwd=peer_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = _wait_ready(process, log_file)
        if urlsplit(url).hostname not in LOOPBACK:
            raise _Unavailable(f"it listens on {url}, not on loopback; nothing was sent to it")
        peer.url = url
        return process
    except BaseException:
        if process is not None:
            stop_process(process)
        raise
