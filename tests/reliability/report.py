"""The figures of a reliability run: throughput and latency of the scheduled requests, answers
by code, the outage a fault caused and how long the API took to recover, and the ledger's
verdict; rendered as the Markdown of docs/reliability.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from tests.reliability.faults import FaultReport
from tests.reliability.load import LoadResult
from tests.reliability.load_plan import summary
from tests.reliability.load_verify import Verdict

__all__ = ["FLAT_MEMORY_RULE", "Outage", "Scenario", "figures", "flat_memory", "outage"]

FLAT_MEMORY_RULE = (
    "memory is flat when the API process's resident memory at the end is at most 1.2 times "
    "what it was after the warm-up, and its open files at most 20 more"
)


@dataclass(frozen=True)
class Outage:
    failed: int
    """Requests (retries included) answered after the fault struck that failed."""
    recovered: float | None
    """The first success answered once the fault was lifted (seconds from the start of the
    load); None when none came."""


NOT_AN_OUTAGE = ("OK", "REFUSED_", "IDEMPOTENCY_KEY_IN_USE", "IDEMPOTENCY_KEY_COMMITTED")
"""Answers that say the API works: a success, a typed refusal, a key held by a claim whose
lease has not run out, a key whose dead request committed (docs/reliability.md, "Known
limits")."""


def outage(result: LoadResult, struck: float, lifted: float | None) -> Outage:
    """The failed answers after `struck`, and the first success after `lifted` (the harness
    brought the part back) or, without it, after `struck`."""
    after = sorted((a for a in result.attempts if a.answered >= struck), key=lambda a: a.answered)
    failed = sum(1 for a in after if not a.code.startswith(NOT_AN_OUTAGE))
    since = struck if lifted is None else lifted
    recovered = next((a.answered for a in after if a.code == "OK" and a.answered >= since), None)
    return Outage(failed, recovered)


def flat_memory(memory: dict[str, Any]) -> bool | None:
    start, end = memory.get("after_warmup") or {}, memory.get("end") or {}
    if not start or not end:
        return None
    return bool(
        end["rss_kib"] <= start["rss_kib"] * 1.2 and end["open_files"] <= start["open_files"] + 20
    )


@dataclass
class Scenario:
    name: str
    result: LoadResult
    verdict: Verdict
    consistency: dict[str, Any]
    fault: FaultReport | None = None


def figures(scenario: Scenario) -> dict[str, Any]:
    """The scenario's figures as plain values (the JSON next to the report)."""
    result, verdict = scenario.result, scenario.verdict
    scheduled = [a for a in result.attempts if a.scheduled]
    reads = [a.answered - a.due for a in scheduled if a.kind in _READS]
    writes = [a.answered - a.due for a in scheduled if a.kind not in _READS]
    out: dict[str, Any] = {
        "requests": len(scheduled),
        "seconds": round(result.seconds, 1),
        "rps": round(len(scheduled) / result.seconds, 1) if result.seconds else None,
        "offered_rps": result.plan.rate,
        "clients": result.plan.clients,
        "all": summary([a.answered - a.due for a in scheduled]),
        "reads": summary(reads),
        "writes": summary(writes),
        "codes_reads": dict(result.codes(writes=False).most_common()),
        "codes_writes": dict(result.codes(writes=True).most_common()),
        "retries": sum(1 for a in result.attempts if not a.scheduled),
        "replayed": sum(w.replays for w in result.writes),
        "writes_by_kind": {k: dict(c) for k, c in sorted(verdict.by_kind.items())},
        "lost": verdict.lost,
        "doubled": verdict.doubled,
        "unknown": verdict.total("unknown"),
        "applied_unknown": verdict.total("applied_unknown"),
        "abandoned": sum(1 for w in result.writes if w.abandoned),
        "mismatched_states": verdict.mismatched_states,
        "consistency": scenario.consistency,
        "memory": result.memory,
        "flat_memory": flat_memory(result.memory),
    }
    if scenario.fault is not None:
        fault = scenario.fault
        seen = outage(result, fault.struck, fault.lifted)
        out["fault"] = {
            "struck_s": round(fault.struck, 1),
            "lifted_s": None if fault.lifted is None else round(fault.lifted, 1),
            "failed_requests": seen.failed,
            "recovered_after_fault_s": _since(seen.recovered, fault.struck),
            "recovered_after_lifted_s": _since(seen.recovered, fault.lifted),
            "codes_during": dict(_codes_between(result, fault.struck, seen.recovered)),
            "notes": fault.notes,
        }
    return out


_READS = frozenset({"ci_page", "ci_by_id", "impact", "incident_list", "change_schedule"})


def _since(value: float | None, origin: float | None) -> float | None:
    if value is None or origin is None:
        return None
    return round(max(0.0, value - origin), 1)


def _codes_between(result: LoadResult, since: float, until: float | None) -> Counter[str]:
    end = float("inf") if until is None else until
    return Counter(a.code for a in result.attempts if since <= a.answered <= end)
