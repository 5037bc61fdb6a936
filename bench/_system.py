"""What the results were measured on: the machine and the versions of everything involved."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["machine", "versions"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, str]:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} cores",
        "memory": _memory(),
        "OS": platform.platform(),
        "load average when the run started (1, 5, 15 min)": load,
    }


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        return "not on PATH"
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=10)
        return done.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"


def versions(neo4j_server: str) -> dict[str, str]:
    return {
        "Python": platform.python_version(),
        "Neo4j": f"{neo4j_server} (embedded, the product's launcher)",
        "packages": ", ".join(
            f"{name} {_package(name)}"
            for name in (
                "neo4j",
                "strawberry-graphql",
                "starlette",
                "uvicorn",
                "httpx",
                "igraph",
                "matplotlib",
            )
        ),
        "Node.js": _node(),
    }
