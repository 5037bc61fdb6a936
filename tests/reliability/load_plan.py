"""The arithmetic of the reliability load: when each client's requests are due (a constant
arrival rate, so latency counts from the due time and a slow answer cannot hide the requests
it delayed), which kind each request is (a fixed mix, spread evenly), and the percentiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bench._schedule import interleave

__all__ = [
    "READ_MIX",
    "WRITE_MIX",
    "LoadPlan",
    "due_times",
    "interleave",
    "percentile",
    "summary",
]

READ_MIX = {"ci_page": 20, "ci_by_id": 20, "impact": 10, "incident_list": 10, "change_schedule": 10}
"""Shares of all requests (out of 100): 70 % reads. A page of CIs, single CIs, the impact of a
shared database, the service desk's queue, the change schedule of the next weeks."""
WRITE_MIX = {"create_incident": 10, "transition_incident": 9, "relate_toggle": 8, "import_cis": 3}
"""30 % writes: new incidents, transitions of incidents this run opened, relateCIs and
unrelateCIs of CI pairs this run owns, and small imports of three CIs."""


@dataclass(frozen=True)
class LoadPlan:
    rate: float
    """Requests due per second, all clients together."""
    seconds: float
    clients: int = 32
    timeout: float = 10.0
    """Seconds a client waits for one answer before it counts the outcome as unknown."""
    settle_seconds: float = 60.0
    """After the load: how long writes of unknown outcome are still retried."""
    warmup_seconds: float = 0.0
    """When the API process's memory is read the first time (the start of the flat-memory
    rule): this long after the load begins."""

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.seconds <= 0 or self.clients < 1:
            raise ValueError(f"rate, seconds and clients must be positive: {self}")


def due_times(plan: LoadPlan, client: int) -> list[tuple[int, float]]:
    """(global index, seconds from the start) of each request of `client`: the clients take
    turns, so all of them together send one request every 1/rate seconds."""
    total = math.ceil(plan.seconds * plan.rate - 1e-9)
    return [(k, k / plan.rate) for k in range(client, total, plan.clients)]


def percentile(ordered: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (share 0.99 for p99)."""
    if not ordered:
        raise ValueError("no values")
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(latencies: Sequence[float]) -> dict[str, float | None]:
    """p50, p99 and p99.9 in milliseconds (None without values)."""
    ordered = sorted(latencies)
    if not ordered:
        return {"p50_ms": None, "p99_ms": None, "p999_ms": None}
    return {
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
        "p999_ms": round(percentile(ordered, 0.999) * 1000, 1),
    }
