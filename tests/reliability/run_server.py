"""`cmdb serve --migrate --seed-demo` in a process of its own, with its own embedded Neo4j (its
own data folder and ports), as an operator runs it: the reliability runs kill it, restart it,
and kill, pause or starve its Neo4j. Not the test session's Neo4j: nothing else shares it."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from graph import Database, connect
from graph.embedded import free_port

__all__ = ["CMDB", "Served", "process_alive"]

CMDB = str(Path(sys.executable).parent / "cmdb")
START_PATIENCE = 900.0
"""Seconds `cmdb serve` may take to be ready: a hang guard. A first start builds nothing, but
starts a JVM, migrates and loads the demo: about a minute on an idle 2-core machine, over five
minutes seen at a load average of 20."""


def process_alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZXx"


@dataclass
class Served:
    workdir: Path
    """Logs (`serve.log`, `serve.out`) live here, never on the data folder's disk."""
    data_dir: Path
    heap: str = "1g"
    page_cache: str = "256m"
    extra_env: dict[str, str] = field(default_factory=dict)
    api_port: int = field(default_factory=free_port)
    neo4j_port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    process: asyncio.subprocess.Process | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        return {
            **inherited,
            "CMDB_DATA_DIR": str(self.data_dir),
            "CMDB_NEO4J_PORT": str(self.neo4j_port),
            "NEO4J_PASSWORD": self.password,
            "CMDB_NEO4J_HEAP": self.heap,
            "CMDB_NEO4J_PAGECACHE": self.page_cache,
            "CMDB_HOST": "127.0.0.1",
            "CMDB_PORT": str(self.api_port),
            "CMDB_LOG_LEVEL": "warning",
            "CMDB_ACTOR": "reliability",
            **self.extra_env,
        }

    def api_pid(self) -> int | None:
        if self.process is None or self.process.returncode is not None:
            return None
        return self.process.pid

    def neo4j_pid(self) -> int | None:
        try:
            return int(json.loads((self.data_dir / "neo4j.pid").read_text())["pid"])
        except (OSError, ValueError, KeyError):
            return None

    def database(self) -> Database:
        return connect(f"bolt://127.0.0.1:{self.neo4j_port}", "neo4j", self.password, "neo4j")

    async def start(self, *, seed_demo: bool = True) -> None:
        """Starts `cmdb serve` and returns once /readyz answers 200."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = ["serve", "--migrate", *(["--seed-demo"] if seed_demo else [])]
        with (
            (self.workdir / "serve.out").open("ab") as out,
            (self.workdir / "serve.log").open("ab") as log,
        ):
            self.process = await asyncio.create_subprocess_exec(
                CMDB, *args, env=self.env, stdout=out, stderr=log
            )
        self.starts += 1
        await self.until_ready()

    async def until_ready(self, patience: float = START_PATIENCE) -> None:
        deadline = time.monotonic() + patience
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5.0) as http:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError(
                        f"cmdb serve ended with {self.process.returncode}: {self.log_tail()}"
                    )
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"cmdb serve not ready within {patience:.0f} s: {self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        text = ""
        for name in ("serve.out", "serve.log"):
            path = self.workdir / name
            if path.exists():
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) + "\n"
        return text

    async def kill_api(self) -> None:
        """SIGKILL to `cmdb serve` (no shutdown of any kind), reaped."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def until_gone(self, pid: int, patience: float = 60.0) -> None:
        deadline = time.monotonic() + patience
        while process_alive(pid) and time.monotonic() < deadline:  # noqa: ASYNC110 - /proc
            await asyncio.sleep(0.1)

    async def token(self, name: str) -> str:
        """A new admin API token (`cmdb token create`); returns its secret."""
        process = await asyncio.create_subprocess_exec(
            CMDB,
            "token",
            "create",
            "--name",
            name,
            "--role",
            "admin",
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"cmdb token create failed: {out.decode()} {err.decode()}")
        return out.decode().strip().splitlines()[-1]

    async def stop(self) -> None:
        """SIGTERM and wait (the embedded Neo4j it started stops with it)."""
        neo4j = self.neo4j_pid()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 90)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if neo4j is not None:
            await self.until_gone(neo4j)
