"""GraphQL clients over HTTP, and the statistics of what they measured: closed loops (a number
of concurrent clients, each sending its next request when the last one answered) and an open
model (requests sent at the times a constant arrival rate sets, whatever is still in flight).

Every closed run is bounded twice: a number of requests, and a time budget after which no new
request is sent (those in flight finish). Only loopback URLs are accepted.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import httpx

__all__ = [
    "Arrival",
    "Bounds",
    "Measurement",
    "OpenRun",
    "answer_problem",
    "check_loopback",
    "measure_http",
    "measure_in_process",
    "percentile",
    "run_open_model",
    "summarise",
]

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Bounds:
    concurrency: int
    requests: int
    warmup: int
    budget_s: float
    timeout_s: float = 300.0


@dataclass(frozen=True)
class Measurement:
    requests: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    rps: float | None
    seconds: float
    concurrency: int
    first_error: str | None = None
    sample: Any = None
    """The `data` of one answer (for checks such as the impacted count)."""
    slow: bool = False
    """Measured one request at a time during warm-up only: too slow (or failing) to load."""
    cold_ms: float | None = None
    """The first request's latency (query planning, cold caches), not in the figures."""
    alone_p50_ms: float | None = None
    alone_p99_ms: float | None = None
    """Latency with one client (the warm-up requests, sent one at a time): what one user
    waits on an otherwise idle server."""


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(
    latencies_s: Sequence[float],
    errors: int,
    seconds: float,
    concurrency: int,
    first_error: str | None = None,
    sample: Any = None,
) -> Measurement:
    ordered = sorted(latencies_s)
    if not ordered:
        return Measurement(0, errors, None, None, None, None, seconds, concurrency, first_error)
    return Measurement(
        requests=len(ordered),
        errors=errors,
        p50_ms=round(percentile(ordered, 0.50) * 1000, 3),
        p95_ms=round(percentile(ordered, 0.95) * 1000, 3),
        p99_ms=round(percentile(ordered, 0.99) * 1000, 3),
        rps=round(len(ordered) / seconds, 2) if seconds > 0 else None,
        seconds=round(seconds, 3),
        concurrency=concurrency,
        first_error=first_error,
        sample=sample,
    )


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"the benchmark only sends requests to loopback, not to {url}")


def answer_problem(response: httpx.Response) -> tuple[str | None, Any]:
    """What went wrong with an answer (None if nothing), and its data: an HTTP status other
    than 200, GraphQL errors, or a mutation payload's `errors` (a refused write)."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}: {response.text[:300]}", None
    body = response.json()
    if body.get("errors"):
        return f"GraphQL errors: {str(body['errors'])[:300]}", body.get("data")
    data = body.get("data")
    for name, payload in (data or {}).items():
        if isinstance(payload, dict) and payload.get("errors"):
            return f"{name} refused: {str(payload['errors'])[:300]}", data
    return None, data


async def _drive(
    client: httpx.AsyncClient,
    url: str,
    bodies: Sequence[dict[str, Any]],
    concurrency: int,
    count: int,
    budget_s: float,
) -> Measurement:
    latencies: list[float] = []
    errors = 0
    first_error: str | None = None
    sample: Any = None
    issued = 0
    started = time.perf_counter()
    deadline = started + budget_s

    async def client_loop() -> None:
        nonlocal issued, errors, first_error, sample
        while issued < count and time.perf_counter() < deadline:
            body = bodies[issued % len(bodies)]
            issued += 1
            sent = time.perf_counter()
            try:
                response = await client.post(url, json=body)
                problem, data = answer_problem(response)
            except httpx.HTTPError as error:
                problem, data = f"{type(error).__name__}: {error}", None
            latencies.append(time.perf_counter() - sent)
            if problem is not None:
                errors += 1
                first_error = first_error or problem
            elif sample is None:
                sample = data

    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return summarise(latencies, errors, elapsed, concurrency, first_error, sample)


async def measure_http(
    url: str,
    bodies: Sequence[dict[str, Any]],
    bounds: Bounds,
    headers: dict[str, str] | None = None,
) -> Measurement:
    """Warms up one request at a time (untimed), then `bounds.concurrency` clients send the
    bodies in turn until `bounds.requests` were sent or the budget ran out. Latency is per
    request, end to end.

    A question so slow that one warm request alone takes over half the budget is not sent
    concurrently: the warm-up requests, alone, are its measurement (`slow` is set), so that a
    run stays bounded in time whatever the system under test does. The very first request
    (planning, cold caches) is timed apart (`cold_ms`) and counts in neither."""
    check_loopback(url)
    limits = httpx.Limits(
        max_connections=bounds.concurrency, max_keepalive_connections=bounds.concurrency
    )
    # trust_env=False: no proxy from the environment may carry loopback traffic elsewhere.
    async with httpx.AsyncClient(
        timeout=bounds.timeout_s, limits=limits, trust_env=False, headers=headers
    ) as client:
        # The first request pays for query planning and cold caches: timed apart, not judged.
        cold = await _drive(client, url, bodies, 1, 1, bounds.timeout_s)
        if cold.errors:
            return replace(cold, slow=True, cold_ms=cold.p50_ms)
        warm = await _drive(client, url, bodies, 1, max(1, bounds.warmup - 1), bounds.budget_s / 4)
        if warm.errors or (warm.p50_ms or 0) > bounds.budget_s * 1000 / 2:
            return replace(
                warm,
                slow=True,
                cold_ms=cold.p50_ms,
                alone_p50_ms=warm.p50_ms,
                alone_p99_ms=warm.p99_ms,
            )
        loaded = await _drive(
            client, url, bodies, bounds.concurrency, bounds.requests, bounds.budget_s
        )
        return replace(
            loaded, cold_ms=cold.p50_ms, alone_p50_ms=warm.p50_ms, alone_p99_ms=warm.p99_ms
        )


def measure_in_process(work: Callable[[int], object], bounds: Bounds) -> Measurement:
    """Calls `work(i)` one at a time (the floor: in-process, no concurrency): warm-up calls,
    then up to `bounds.requests` timed calls within the budget."""
    for i in range(min(bounds.warmup, 3)):
        work(i)
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + bounds.budget_s
    sample: object = None
    while len(latencies) < bounds.requests and time.perf_counter() < deadline:
        sent = time.perf_counter()
        result = work(len(latencies))
        latencies.append(time.perf_counter() - sent)
        sample = result
    return summarise(latencies, 0, time.perf_counter() - started, 1, sample=sample)


@dataclass(frozen=True)
class Arrival:
    """One request of an open-model run: sent `at_s` seconds after the start, whatever is
    still in flight; `body()` is called at that moment (a write may depend on earlier
    answers), and `answered(data)` with the data of a successful answer."""

    at_s: float
    kind: str
    body: Callable[[], dict[str, Any]]
    answered: Callable[[Any], None] | None = None


@dataclass
class OpenRun:
    """Latencies by kind, each measured from the request's scheduled time (not from when it
    could be sent), so that a server falling behind shows in the percentiles instead of
    slowing the clients down (no coordinated omission)."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    first_errors: dict[str, str] = field(default_factory=dict)
    scheduled_s: float = 0.0
    """The span of the schedule: the last arrival's time."""
    seconds: float = 0.0
    """From the start to the last answer."""
    max_send_lag_ms: float = 0.0
    """How late the client itself sent a request, at worst (its own event loop's delay)."""


async def run_open_model(
    url: str,
    schedule: Sequence[Arrival],
    headers: dict[str, str] | None = None,
    timeout_s: float = 300.0,
    max_connections: int = 64,
) -> OpenRun:
    """Sends every arrival at its time on one pool of at most `max_connections` connections,
    as a load balancer in front of the API would bound them: a request waiting for a free
    connection is late, and its latency says so."""
    check_loopback(url)
    ordered = sorted(schedule, key=lambda a: a.at_s)
    run = OpenRun(scheduled_s=ordered[-1].at_s if ordered else 0.0)
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=64)
    async with httpx.AsyncClient(
        timeout=timeout_s, limits=limits, trust_env=False, headers=headers
    ) as client:
        started = time.perf_counter()

        async def send(arrival: Arrival) -> None:
            due = started + arrival.at_s
            run.max_send_lag_ms = max(run.max_send_lag_ms, (time.perf_counter() - due) * 1000)
            try:
                response = await client.post(url, json=arrival.body())
                problem, data = answer_problem(response)
            except httpx.HTTPError as error:
                problem, data = f"{type(error).__name__}: {error}", None
            run.latencies.setdefault(arrival.kind, []).append(time.perf_counter() - due)
            if problem is not None:
                run.errors[arrival.kind] = run.errors.get(arrival.kind, 0) + 1
                run.first_errors.setdefault(arrival.kind, problem)
            elif arrival.answered is not None:
                arrival.answered(data)

        tasks = []
        for arrival in ordered:
            delay = started + arrival.at_s - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(arrival)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run
