"""Faults injected under the reliability load, each a coroutine run beside it (`run_load`'s
`beside`): it waits until its time, breaks something for real, and reports when it struck and
when it was lifted.

- `neo4j_kill`: SIGKILL to the embedded Neo4j; `cmdb serve`'s supervisor restarts it.
- `api_kill`: SIGKILL to `cmdb serve`; the JVM notices its parent is gone and stops, and the
  harness starts `cmdb serve` again, as a service manager would.
- `neo4j_pause`: SIGSTOP to Neo4j for `hold` seconds, then SIGCONT (a stalled JVM, a frozen VM).
- `disk_full`: the data folder's disk (a tmpfs the run mounted) filled by a file until no byte
  is left, held, then freed. The report notes what a write and `/readyz` answered while it was
  full (503 SERVICE_UNAVAILABLE, and why) and when writes worked again: `cmdb serve`'s
  supervisor restarts a Neo4j whose database panicked. A Neo4j that still does not take writes
  `patience` seconds after is killed by the harness, as a fallback: the report says so."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.reliability import load_ops as ops
from tests.reliability.run_server import Served, process_alive

__all__ = ["FAULTS", "FaultReport", "fill_disk"]


@dataclass
class FaultReport:
    name: str
    struck: float = 0.0
    """Seconds from the start of the load."""
    lifted: float | None = None
    """When the harness's part ended (restarted, resumed, freed), seconds from the start."""
    notes: list[str] = field(default_factory=list)


Fault = Callable[[Served, float, dict[str, str], str], Callable[[float], Awaitable[FaultReport]]]


async def _until(start: float, at: float) -> float:
    await asyncio.sleep(max(0.0, start + at - time.monotonic()))
    return time.monotonic() - start


def neo4j_kill(served: Served, at: float, headers: dict[str, str], run: str) -> Any:
    async def strike(start: float) -> FaultReport:
        report = FaultReport("neo4j_kill")
        pid = served.neo4j_pid()
        assert pid is not None, "no embedded Neo4j to kill"
        report.struck = await _until(start, at)
        os.kill(pid, signal.SIGKILL)
        while served.neo4j_pid() in (pid, None) or not await _ready(served):  # noqa: ASYNC110
            await asyncio.sleep(0.1)  # a process and a port: nothing to wait on
        report.lifted = time.monotonic() - start
        report.notes.append(
            f"Neo4j pid {pid} killed; the supervisor started pid {served.neo4j_pid()}"
        )
        return report

    return strike


def api_kill(served: Served, at: float, headers: dict[str, str], run: str) -> Any:
    async def strike(start: float) -> FaultReport:
        report = FaultReport("api_kill")
        old_api, old_neo4j = served.api_pid(), served.neo4j_pid()
        report.struck = await _until(start, at)
        await served.kill_api()
        if old_neo4j is not None:
            await served.until_gone(old_neo4j)
        gone = time.monotonic() - start
        await served.start()
        report.lifted = time.monotonic() - start
        report.notes.append(
            f"cmdb serve pid {old_api} killed; its Neo4j stopped by itself after "
            f"{gone - report.struck:.1f} s; cmdb serve started again as pid {served.api_pid()}"
        )
        return report

    return strike


def neo4j_pause(
    served: Served, at: float, headers: dict[str, str], run: str, hold: float = 20.0
) -> Any:
    async def strike(start: float) -> FaultReport:
        report = FaultReport("neo4j_pause")
        pid = served.neo4j_pid()
        assert pid is not None, "no embedded Neo4j to pause"
        report.struck = await _until(start, at)
        os.kill(pid, signal.SIGSTOP)
        try:
            await asyncio.sleep(hold)
        finally:
            os.kill(pid, signal.SIGCONT)
        report.lifted = time.monotonic() - start
        report.notes.append(f"Neo4j pid {pid} stopped (SIGSTOP) for {hold:.0f} s, then SIGCONT")
        return report

    return strike


def fill_disk(path: Path) -> int:
    """Writes `path` until the disk has no byte left; returns the bytes written."""
    chunk = b"\0" * (1 << 20)
    written = 0
    with path.open("wb", buffering=0) as filler:
        try:
            while True:
                written += filler.write(chunk)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    with path.open("ab", buffering=0) as filler:  # the last partial megabyte
        try:
            while True:
                written += filler.write(b"\0" * 4096)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    return written


async def _ready(served: Served) -> bool:
    try:
        async with httpx.AsyncClient(base_url=served.base_url, timeout=5.0) as http:
            return (await http.get("/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def _probe_write(served: Served, headers: dict[str, str], name: str) -> bool:
    """Whether a one-CI import (a write outside the run's ledger) succeeds now."""
    return await _probe_answer(served, headers, name) == "OK"


async def _probe_answer(served: Served, headers: dict[str, str], name: str) -> str:
    """What a one-CI import answers now: OK, or the HTTP status and error code."""
    cis = [{"externalId": name, "name": name, "class": "SOFTWARE"}]
    request = ops.body(ops.IMPORT_CIS, source="reliability-probe", cis=cis, relationships=[])
    try:
        async with httpx.AsyncClient(base_url=served.base_url, timeout=10.0) as http:
            response = await http.post("/graphql", json=request, headers=headers)
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        return type(error).__name__
    errors = body.get("errors") or []
    if response.status_code == 200 and not errors and not body["data"]["importCIs"]["errors"]:
        return "OK"
    code = (errors[0].get("extensions") or {}).get("code") if errors else "REFUSED"
    return f"HTTP {response.status_code} {code}"


async def _readiness(served: Served) -> str:
    """`/readyz`'s status code and reason now."""
    try:
        async with httpx.AsyncClient(base_url=served.base_url, timeout=5.0) as http:
            response = await http.get("/readyz")
        return f"{response.status_code} {response.json().get('reason', 'ready')}"
    except (httpx.HTTPError, ValueError) as error:
        return type(error).__name__


def disk_full(
    served: Served,
    at: float,
    headers: dict[str, str],
    run: str,
    hold: float = 20.0,
    patience: float = 45.0,
) -> Any:
    async def strike(start: float) -> FaultReport:
        report = FaultReport("disk_full")
        filler = served.data_dir.parent / "filler"
        report.struck = await _until(start, at)
        try:
            written = await asyncio.to_thread(fill_disk, filler)
            answer = await _probe_answer(served, headers, f"{run}-probe-full")
            await asyncio.sleep(min(5.0, hold))
            ready = await _readiness(served)
            await asyncio.sleep(max(0.0, hold - 5.0))
        finally:
            filler.unlink(missing_ok=True)
        report.lifted = time.monotonic() - start
        report.notes.append(
            f"{written / 2**20:.0f} MiB written to fill the data disk; a probe write got "
            f"{answer} while it was full; /readyz then: {ready}; freed after {hold:.0f} s"
        )
        deadline = time.monotonic() + patience
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if await _probe_write(served, headers, f"{run}-probe-{n}"):
                report.notes.append(
                    f"writes succeed again {time.monotonic() - start - report.lifted:.1f} s "
                    "after the disk was freed, with no restart by the harness (the supervisor "
                    f"restarted Neo4j if it panicked: pid {served.neo4j_pid()} now)"
                )
                return report
            await asyncio.sleep(1.0)
        pid = served.neo4j_pid()
        report.notes.append(
            f"writes still failed {patience:.0f} s after the disk was freed: Neo4j (pid {pid}) "
            "was killed for the supervisor to restart it"
        )
        if pid is not None and process_alive(pid):
            os.kill(pid, signal.SIGKILL)
        while not await _probe_write(served, headers, f"{run}-probe-restart"):  # noqa: ASYNC110
            await asyncio.sleep(1.0)
        return report

    return strike


FAULTS: dict[str, Fault] = {
    "neo4j_kill": neo4j_kill,
    "api_kill": api_kill,
    "neo4j_pause": neo4j_pause,
    "disk_full": disk_full,
}
