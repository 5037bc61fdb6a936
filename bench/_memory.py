"""The memory of the topology projection: the resident size of each API worker (read from
/proc), and the projection's own size, loaded once in a fresh process of its own.

`python -m bench._memory` (NEO4J_URI and friends in the environment) loads the projection as
a worker does and prints one JSON line: the process's resident size before and after, the load
time, and what the projection holds (numpy arrays; Python lists, dicts and strings).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["memory_record", "projection_size", "rss_mb", "worker_memory"]

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 4096 / 2**20


def rss_mb(pid: int) -> float | None:
    """The resident set size of `pid` in MiB (None if it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return round(pages * PAGE_MB, 1)


def _group_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def worker_memory(group: int) -> dict[str, float | None]:
    """The resident size of each uvicorn worker of the process group `group` (the API the
    benchmark started), by pid; the supervisor and multiprocessing's helper are left out
    (with one worker, the group's leader is the worker)."""
    found: dict[str, float | None] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == group:
            continue
        pid = int(entry.name)
        if _group_of(pid) != group:
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "resource_tracker" in command:
            continue
        found[str(pid)] = rss_mb(pid)
    if not found:  # one worker: uvicorn serves in the process it started, no supervisor
        found[str(group)] = rss_mb(group)
    return dict(sorted(found.items()))


def _held(value: Any, seen: set[int]) -> tuple[int, int]:
    """(numpy bytes, Python bytes) that `value` holds: arrays by their buffers; strings,
    numbers, lists, tuples, sets and dicts by sys.getsizeof, items included; other objects
    through their attributes. Each object once."""
    import numpy as np

    if id(value) in seen:
        return 0, 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        return value.nbytes, 0
    if value is None or isinstance(value, (str, bytes, int, float)):
        return 0, sys.getsizeof(value)
    children: list[Any]
    own = sys.getsizeof(value)
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif hasattr(value, "__dict__"):
        children, own = list(vars(value).values()), 0
    else:
        return 0, 0
    arrays, python = 0, own
    for child in children:
        held = _held(child, seen)
        arrays, python = arrays + held[0], python + held[1]
    return arrays, python


async def _measure_projection() -> dict[str, Any]:
    from api import Settings
    from graph import connect
    from graph.impact import TopologyProjection

    settings = Settings.from_env()
    assert settings.neo4j_uri is not None and settings.neo4j_password is not None
    db = connect(
        settings.neo4j_uri,
        settings.neo4j_user,
        settings.neo4j_password,
        settings.neo4j_database,
    )
    try:
        before = rss_mb(os.getpid())
        started = time.perf_counter()
        topology = await TopologyProjection(db).current()
        seconds = time.perf_counter() - started
        after = rss_mb(os.getpid())
        arrays, python = _held(topology, set())
        return {
            "cis": topology.size,
            "edges": len(topology.edge_source),
            "load_seconds": round(seconds, 1),
            "rss_before_mb": before,
            "rss_after_mb": after,
            "arrays_mb": round(arrays / 2**20, 1),
            "python_mb": round(python / 2**20, 1),
        }
    finally:
        await db.close()


def projection_size(environment: dict[str, str], root: Path) -> dict[str, Any]:
    """The projection loaded in a fresh process against the Neo4j of `environment`; on
    failure, `{"error": ...}`."""
    done = subprocess.run(
        [sys.executable, "-m", "bench._memory"],
        cwd=root,
        env={**os.environ, **environment, "PYTHONPATH": str(root), "CMDB_LOG_LEVEL": "warning"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or done.stdout).strip()[-300:]}
    found: dict[str, Any] = json.loads(lines[-1])
    return found


def memory_record(scale: str, memory: dict[str, Any]) -> dict[str, Any]:
    """The results.json record of the workers' sizes by stage and the projection's own."""
    return {
        "question": "projection_memory",
        "scale": scale,
        "system": "product",
        "p50_ms": None,
        "p99_ms": None,
        "requests": 0,
        "errors": 0,
        "workers_rss_mb": {stage: memory[stage] for stage in memory if stage != "projection"},
        "projection": memory["projection"],
        "note": "resident size of each uvicorn worker (MiB); the projection loaded alone",
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_measure_projection())))
