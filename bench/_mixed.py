"""The mixed load: the users' reads at a constant arrival rate (an open model: requests are due
by the clock, and latency counts from when they were due) while writes and small imports run
at their own rates, all through the product's API at once."""

from __future__ import annotations

import argparse
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench import _mutations as writes
from bench._load import Arrival, OpenRun, percentile, run_open_model
from bench._questions import CI_BY_ID, CIS_PAGE_WITH_NEIGHBOURS, INCIDENT_LIST
from bench._scenarios import Subjects, send, versions
from bench._schedule import arrivals, interleave

__all__ = ["READ_MIX", "WRITE_MIX", "MixedPlan", "measure_mixed", "plan_from"]

READ_MIX = {"ci_by_id": 10, "impact_change_manager": 4, "incident_list": 4, "cis_page": 2}
"""Shares of the reads: mostly single CIs, then the change manager's impact and the service
desk's queue, now and then a page of CIs with their neighbours."""
WRITE_MIX = {"updateCI": 1, "relateCIs/unrelateCIs": 1, "createIncident": 1}
IMPORT = "importCIs"


@dataclass(frozen=True)
class MixedPlan:
    read_rate: float
    """Reads due per second."""
    seconds: float
    write_rate: float
    """Writes due per second (WRITE_MIX, in turn)."""
    import_rows: int
    import_every_s: float


def plan_from(args: argparse.Namespace) -> MixedPlan:
    return MixedPlan(
        args.mixed_rate,
        args.mixed_seconds,
        args.mixed_write_rate,
        args.mixed_import_rows,
        args.mixed_import_every,
    )


def _body(query: str, **variables: Any) -> dict[str, Any]:
    return {"query": query, "variables": variables}


class _Writes:
    """The writes' bodies, made when each is due: updateCI with the version the last answer
    gave, relateCIs and unrelateCIs of each application in turn, new incidents, imports of
    new agents."""

    def __init__(
        self, subjects: Subjects, sample: list[str], found: dict[str, int], import_rows: int
    ) -> None:
        self.subjects, self.sample, self.versions = subjects, sample, found
        self.import_rows = import_rows
        self.related: dict[str, bool] = {}
        self.counts: dict[str, int] = {}
        self.batch = secrets.token_hex(3)

    def _next(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind] - 1

    def arrival(self, at_s: float, kind: str) -> Arrival:
        n = self._next(kind)
        if kind == "updateCI":
            ci = self.sample[n % len(self.sample)]

            def update() -> dict[str, Any]:
                return writes.update_description(ci, self.versions[ci], f"mixed {n}")

            def answered(data: Any) -> None:
                self.versions[ci] = data["updateCI"]["ci"]["version"]

            return Arrival(at_s, kind, update, answered)
        if kind == "createIncident":
            ci = self.sample[n % len(self.sample)]
            return Arrival(at_s, kind, lambda: writes.create_incident(ci, f"mixed {n}"))
        if kind == IMPORT:
            rows, app = self.import_rows, self.subjects.dependents[0]
            return Arrival(at_s, kind, lambda: writes.import_cis(f"{self.batch}-{n}", rows, app))
        dependent = self.subjects.dependents[n % len(self.subjects.dependents)]

        def toggle() -> dict[str, Any]:
            # Decided when due, not when answered: the next toggle of this application is
            # many seconds later, so the two never race.
            on = not self.related.get(dependent, False)
            self.related[dependent] = on
            edge = (dependent, self.subjects.target)
            return writes.relate(*edge) if on else writes.unrelate(*edge)

        return Arrival(at_s, kind, toggle)


def _constant(body: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    return lambda: body


def _reads(plan: MixedPlan, subjects: Subjects, sample: list[str], impact: str) -> list[Arrival]:
    due = arrivals(plan.read_rate, plan.seconds)
    bodies = {
        "impact_change_manager": _body(impact, id=subjects.target),
        "incident_list": _body(INCIDENT_LIST),
        "cis_page": _body(CIS_PAGE_WITH_NEIGHBOURS),
    }
    chosen = []
    for i, (at_s, kind) in enumerate(zip(due, interleave(READ_MIX, len(due)), strict=True)):
        body = bodies.get(kind) or _body(CI_BY_ID, id=sample[i % len(sample)])
        chosen.append(Arrival(at_s, kind, _constant(body)))
    return chosen


def _figures(latencies: list[float]) -> dict[str, float | None]:
    ordered = sorted(latencies)
    if not ordered:
        return {"p50_ms": None, "p99_ms": None, "p999_ms": None}
    return {
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 3),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 3),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 3),
        "p999_ms": round(percentile(ordered, 0.999) * 1000, 3),
    }


def _by_kind(run: OpenRun, kinds: list[str]) -> dict[str, dict[str, Any]]:
    return {
        kind: {
            "requests": len(run.latencies.get(kind, [])),
            "errors": run.errors.get(kind, 0),
            "first_error": run.first_errors.get(kind),
            **_figures(run.latencies.get(kind, [])),
        }
        for kind in kinds
    }


async def measure_mixed(
    url: str,
    headers: dict[str, str],
    subjects: Subjects,
    sample: list[str],
    impact_query: str,
    plan: MixedPlan,
    timeout_s: float,
) -> dict[str, Any]:
    """Runs the plan and returns the figures of the reads together (p50, p99, p99.9 from the
    due time, achieved rate, errors), then by kind, reads and writes."""
    reads = _reads(plan, subjects, sample, impact_query)
    found = await versions(url, headers, sample)
    planned = _Writes(subjects, sample, found, plan.import_rows)
    due = arrivals(plan.write_rate, plan.seconds, offset_s=0.5 / max(plan.write_rate, 1e-9))
    written = [
        planned.arrival(at_s, kind)
        for at_s, kind in zip(due, interleave(WRITE_MIX, len(due)), strict=True)
    ]
    imports = [
        planned.arrival(at_s, IMPORT)
        for at_s in arrivals(1 / plan.import_every_s, plan.seconds, plan.import_every_s / 2)
    ]
    run = await run_open_model(url, reads + written + imports, headers, timeout_s)
    # The edges the toggles left in place are ended: the graph keeps its imported shape,
    # but for the agents the imports added.
    left = [d for d, on in planned.related.items() if on]
    cleanup = None
    try:
        await send(url, headers, [writes.unrelate(d, subjects.target) for d in left])
    except RuntimeError as error:  # a toggle that failed left no edge to end
        cleanup = str(error)
    read_latencies = [s for kind in READ_MIX for s in run.latencies.get(kind, [])]
    read_errors = sum(run.errors.get(kind, 0) for kind in READ_MIX)
    kinds = [*READ_MIX, *WRITE_MIX, IMPORT]
    first = next((run.first_errors[k] for k in kinds if k in run.first_errors), None)
    return {
        **_figures(read_latencies),
        "requests": len(read_latencies),
        "errors": read_errors + sum(run.errors.get(k, 0) for k in [*WRITE_MIX, IMPORT]),
        "read_errors": read_errors,
        "offered_rps": plan.read_rate,
        "rps": round(len(read_latencies) / run.seconds, 2) if run.seconds else None,
        "offered_write_rps": plan.write_rate,
        "due_seconds": plan.seconds,
        "seconds": round(run.seconds, 2),
        "max_send_lag_ms": round(run.max_send_lag_ms, 1),
        "import_rows": plan.import_rows,
        "first_error": first,
        "cleanup_error": cleanup,
        "reads": _by_kind(run, list(READ_MIX)),
        "writes": _by_kind(run, [*WRITE_MIX, IMPORT]),
    }
