"""Availability from incident history: the pure sweep (docs/service-levels.md, "Availability").

The failed CIs at an instant are the affected CIs of the outage-causing incidents open at that
instant; the service's state is asked once per segment between change points (an incident
opening or closing, an edge closing), never per second. Outages are maximal DOWN intervals,
clipped to the period; degraded time is counted apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise

from graph.domain._impact import State
from graph.domain._incidents import IncidentState

__all__ = [
    "Availability",
    "FailureSpan",
    "IncidentHistory",
    "Outage",
    "availability_from_history",
    "failure_spans",
    "measure_availability",
]

IncidentHistory = tuple[str, Iterable[str], datetime, Sequence[tuple[str, str, datetime]]]
"""An outage-causing incident: its number, affected CI ids, `openedAt`, and its transitions as
(from, to, at) in sequence order."""


@dataclass(frozen=True)
class FailureSpan:
    """An interval in which an incident fails its affected CIs; `end` None while open."""

    number: str
    ci_ids: frozenset[str]
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class Outage:
    start: datetime
    end: datetime
    causes: tuple[str, ...]
    """Numbers of the incidents open during the outage, sorted."""


@dataclass(frozen=True)
class Availability:
    availability_percent: float
    downtime_seconds: float
    degraded_seconds: float
    outages: tuple[Outage, ...]
    mttr_seconds: float | None
    mtbf_seconds: float | None

    @property
    def outage_count(self) -> int:
        return len(self.outages)


def failure_spans(
    number: str,
    ci_ids: Iterable[str],
    opened_at: datetime,
    transitions: Sequence[tuple[str, str, datetime]],
) -> list[FailureSpan]:
    """The spans in which one outage-causing incident fails its CIs: from `openedAt` to the
    transition to RESOLVED, again from a reopening (RESOLVED to an open state) to the next
    resolution. `transitions` are (from, to, at) in sequence order. An incident whose last state
    is CANCELLED never counts."""
    if transitions and transitions[-1][1] == IncidentState.CANCELLED.value:
        return []
    closed = {IncidentState.RESOLVED.value, IncidentState.CLOSED.value}
    cis = frozenset(ci_ids)
    spans: list[FailureSpan] = []
    start: datetime | None = opened_at
    for _, to, at in transitions:
        if start is not None and to in closed:
            spans.append(FailureSpan(number, cis, start, at))
            start = None
        elif start is None and to not in closed and to != IncidentState.CANCELLED.value:
            start = at
    if start is not None:
        spans.append(FailureSpan(number, cis, start, None))
    return [s for s in spans if s.end is None or s.end > s.start]


def measure_availability(
    start: datetime,
    end: datetime,
    spans: Sequence[FailureSpan],
    edge_closings: Iterable[datetime],
    state_of: Callable[[frozenset[str], datetime], State],
    length: Callable[[datetime, datetime], float] | None = None,
) -> Availability:
    """The sweep over [start, end). `state_of(failed, instant)` is the service's state with
    `failed` down over the edges not closed by `instant`; it is asked once per segment with a
    failed CI. `length` measures an interval in seconds (support hours); wall time by default."""
    measure = length or (lambda a, b: (b - a).total_seconds())
    points = {start, end}
    for span in spans:
        points.add(span.start)
        if span.end is not None:
            points.add(span.end)
    points.update(edge_closings)
    instants = sorted(p for p in points if start <= p <= end)
    down: list[tuple[datetime, datetime, set[str]]] = []
    degraded = 0.0
    for a, b in pairwise(instants):
        active = [s for s in spans if s.start <= a and (s.end is None or s.end > a)]
        if not active:
            continue
        failed = frozenset().union(*(s.ci_ids for s in active))
        state = state_of(failed, a)
        if state is State.DOWN:
            numbers = {s.number for s in active}
            if down and down[-1][1] == a:
                down[-1] = (down[-1][0], b, down[-1][2] | numbers)
            else:
                down.append((a, b, numbers))
        elif state is State.DEGRADED:
            degraded += measure(a, b)
    # Measured in support time, an outage wholly outside support hours breaks no promise: it
    # is neither downtime nor an outage.
    outages = tuple(Outage(a, b, tuple(sorted(n))) for a, b, n in down if measure(a, b) > 0)
    period = measure(start, end)
    downtime = sum(measure(o.start, o.end) for o in outages)
    count = len(outages)
    return Availability(
        availability_percent=100.0 * (1 - downtime / period) if period > 0 else 100.0,
        downtime_seconds=downtime,
        degraded_seconds=degraded,
        outages=outages,
        mttr_seconds=downtime / count if count else None,
        mtbf_seconds=(period - downtime) / count if count else None,
    )


def availability_from_history(
    start: datetime,
    end: datetime,
    now: datetime,
    incidents: Iterable[IncidentHistory],
    edge_closings: Iterable[datetime],
    state_of: Callable[[frozenset[str], datetime], State],
    length: Callable[[datetime, datetime], float] | None = None,
) -> Availability:
    """`measure_availability` over the failure spans of `incidents`; an incident still open
    fails its CIs until `now` (what happens next is not known yet)."""
    spans: list[FailureSpan] = []
    for number, ci_ids, opened_at, transitions in incidents:
        for span in failure_spans(number, ci_ids, opened_at, transitions):
            closed = span if span.end is not None else replace(span, end=now)
            if closed.end is not None and closed.end > closed.start:
                spans.append(closed)
    return measure_availability(start, end, spans, edge_closings, state_of, length)
