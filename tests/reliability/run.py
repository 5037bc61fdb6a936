"""`make reliability`: a soak under the constant-arrival load, then each fault under the same
load, against one `cmdb serve --migrate --seed-demo` with its own embedded Neo4j; writes
docs/reliability.md with the figures and the command that produced them.

    python -m tests.reliability.run --duration 300 --clients 32 --rate 40

As root, the data folder lives on a tmpfs the run mounts (and unmounts), so that the disk-full
fault starves Neo4j's disk and nothing else; without root that fault is left out, and the
report says so."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.reliability.faults import FAULTS
from tests.reliability.fuzz import FuzzFigures, fuzz, role_headers
from tests.reliability.load import run_load
from tests.reliability.load_plan import LoadPlan
from tests.reliability.load_prepare import prepare
from tests.reliability.load_verify import consistency, verify
from tests.reliability.report import Scenario, figures
from tests.reliability.report_md import render
from tests.reliability.run_server import CMDB, Served

__all__ = ["main", "scenario"]

HEALTH = "query LoadHealth { cmdbHealth { orphans { totalCount } incompleteCIs { totalCount } } }"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=300.0, help="soak seconds (300)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rate", type=float, default=40.0, help="requests due per second")
    parser.add_argument(
        "--fault-seconds", type=float, default=90.0, help="seconds of load under each fault (90)"
    )
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated")
    parser.add_argument("--timeout", type=float, default=10.0, help="client timeout, seconds")
    parser.add_argument(
        "--settle",
        type=float,
        default=120.0,
        help="seconds writes of unknown outcome are retried after the load",
    )
    parser.add_argument("--disk-size", default="2g", help="the data folder's tmpfs (root only)")
    parser.add_argument(
        "--fuzz-operations", type=int, default=3000, help="GraphQL fuzzing requests (3000; 0: none)"
    )
    parser.add_argument("--output", type=Path, default=Path("docs/reliability.md"))
    return parser.parse_args(argv)


def _mount(disk: Path, size: str) -> str | None:
    """Mounts a tmpfs of `size` on `disk`; returns why not when it cannot."""
    disk.mkdir(parents=True)
    if os.geteuid() != 0:
        return "not root: no tmpfs could be mounted for the data folder"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else f"mount failed: {done.stderr.strip()}"


async def _unmount(disk: Path) -> None:
    """Unmounts the data folder's tmpfs, once the last JVM has let go of it."""
    for _ in range(60):
        done = await asyncio.create_subprocess_exec("umount", str(disk))
        if await done.wait() == 0:
            return
        await asyncio.sleep(1.0)


async def _health(served: Served, headers: dict[str, str]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=served.base_url, timeout=30.0) as http:
        ready = await http.get("/readyz")
        answer = await http.post("/graphql", json={"query": HEALTH}, headers=headers)
    body = answer.json()
    return {
        "readyz": ready.status_code,
        "cmdb_health": "ok" if answer.status_code == 200 and not body.get("errors") else body,
    }


async def scenario(
    served: Served, headers: dict[str, str], name: str, plan: LoadPlan, fault_at: float | None
) -> Scenario:
    """One load (with the fault `name` at `fault_at` s unless it is None), then its checks."""
    run = f"{name}-{secrets.token_hex(3)}"
    subjects = await prepare(served.base_url, headers, run)
    beside = FAULTS[name](served, fault_at, headers, run) if fault_at is not None else None
    print(
        f"{name}: {plan.seconds:.0f} s at {plan.rate:g} req/s, {plan.clients} clients", flush=True
    )
    result = await run_load(
        served.base_url, headers, subjects, plan, run, beside=beside, api_pid=served.api_pid
    )
    db = served.database()
    try:
        verdict = await verify(db, run, subjects, result.writes)
        checks = await consistency(db)
    finally:
        await db.close()
    checks |= await _health(served, headers)
    done = Scenario(name, result, verdict, checks, result.side)
    print(json.dumps({name: {k: v for k, v in figures(done).items() if k != "memory"}}), flush=True)
    return done


async def _fuzz(served: Served, operations: int) -> FuzzFigures | None:
    """The GraphQL fuzzing (tests/reliability/fuzz.py) as every role, once the load is over."""
    if operations <= 0:
        return None
    print(f"fuzz: {operations} GraphQL requests", flush=True)
    db = served.database()
    try:
        return await fuzz(served.base_url, db, await role_headers(CMDB, served.env), operations)
    finally:
        await db.close()


async def _run(args: argparse.Namespace, command: str) -> int:
    work = Path(tempfile.mkdtemp(prefix="cmdb-reliability-"))
    disk = work / "disk"
    unmounted = _mount(disk, args.disk_size)
    faults = [f for f in args.faults.split(",") if f]
    notes: list[str] = []
    if unmounted is not None and "disk_full" in faults:
        faults.remove("disk_full")
        notes.append(f"disk_full was not run ({unmounted})")
    if args.duration < 300 or args.fault_seconds < 90:
        notes.append(
            f"a reduced run: soak {args.duration:.0f} s (default 300), "
            f"{args.fault_seconds:.0f} s under each fault (default 90)"
        )
    served = Served(work / "logs", disk / "data")
    scenarios: list[Scenario] = []
    fuzzed: FuzzFigures | None = None
    started = time.monotonic()
    try:
        await served.start(seed_demo=True)
        notes.append(
            f"cmdb serve --migrate --seed-demo was ready after {time.monotonic() - started:.0f} s"
        )
        headers = {"authorization": f"Bearer {await served.token(f'reliability-{os.getpid()}')}"}
        soak = LoadPlan(
            args.rate,
            args.duration,
            args.clients,
            args.timeout,
            args.settle,
            warmup_seconds=min(60.0, args.duration / 5),
        )
        scenarios.append(await scenario(served, headers, "soak", soak, None))
        for name in faults:
            plan = LoadPlan(
                args.rate,
                args.fault_seconds,
                args.clients,
                args.timeout,
                args.settle,
                warmup_seconds=min(60.0, args.fault_seconds / 5),
            )
            scenarios.append(await scenario(served, headers, name, plan, args.fault_seconds / 4))
        fuzzed = await _fuzz(served, args.fuzz_operations)
    finally:
        await served.stop()
        if unmounted is None:
            await _unmount(disk)
    args.output.write_text(render(scenarios, command, notes, fuzzed), encoding="utf-8")
    figures_file = work / "logs" / "reliability.json"
    recorded = {s.name: figures(s) for s in scenarios}
    if fuzzed is not None:
        recorded["fuzz"] = fuzzed.as_dict()
    figures_file.write_text(json.dumps(recorded, indent=1))
    print(f"written {args.output}; figures in {figures_file}, logs beside them")
    bad = [s.name for s in scenarios if s.verdict.lost or s.verdict.doubled]
    bad += ["fuzz"] if fuzzed is not None and fuzzed.failures else []
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    shown = argv if argv is not None else sys.argv[1:]
    command = shlex.join(["python", "-m", "tests.reliability.run", *shown])
    return asyncio.run(_run(args, command))


if __name__ == "__main__":
    sys.exit(main())
