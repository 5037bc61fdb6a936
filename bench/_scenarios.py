"""The questions that need writes around them: a change assessed before timing, and the first
question after a write (`impact_after_write`). All of it through the product's API, as its
users send it; the mixed load is in bench/_mixed.py."""

from __future__ import annotations

import asyncio
import datetime
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx

from bench import _mutations as writes
from bench._load import Bounds, Measurement, answer_problem, check_loopback, summarise

__all__ = [
    "AFTER_WRITE_VARIANTS",
    "Subjects",
    "measure_after_write",
    "post",
    "prepare_change",
    "send",
    "versions",
]

AFTER_WRITE_VARIANTS = ("static", "updateCI", "relateCIs+unrelateCIs")
"""`static`: the same requests with no write before them, the control."""


@dataclass(frozen=True)
class Subjects:
    """The CIs the writes touch."""

    target: str
    """The most shared database: the impact's start, the change's and incidents' CI."""
    updated: tuple[str, ...]
    """CIs whose description updateCI rewrites, one per concurrent client."""
    dependents: tuple[str, ...]
    """Applications that do not depend on `target`: relateCIs adds that edge, unrelateCIs
    ends it, one application per concurrent client."""


async def post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> Any:
    """The answer's data; RuntimeError if the request failed or the write was refused."""
    problem, data = answer_problem(await client.post(url, json=body))
    if problem is not None:
        raise RuntimeError(problem)
    return data


def _client(headers: dict[str, str], timeout_s: float, keep_alive: bool) -> httpx.AsyncClient:
    # Without keep-alive every request opens its own connection, and the kernel hands each new
    # connection to whichever uvicorn worker accepts first: a write and the question after it
    # meet the same worker about as often as different ones.
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64 if keep_alive else 0)
    extra = {} if keep_alive else {"connection": "close"}
    return httpx.AsyncClient(
        timeout=timeout_s, limits=limits, trust_env=False, headers={**headers, **extra}
    )


async def prepare_change(url: str, headers: dict[str, str], ci_id: str) -> str:
    """Creates a normal change to `ci_id`, planned a week ahead, and moves it to ASSESS (which
    takes its impact snapshot). Returns its number."""
    check_loopback(url)
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(7)
    end = start + datetime.timedelta(hours=2)
    async with _client(headers, 300, keep_alive=True) as client:
        created = await post(
            client, url, writes.create_change(ci_id, start.isoformat(), end.isoformat())
        )
        number: str = created["createChange"]["change"]["number"]
        await post(client, url, writes.transition_change(number))
    return number


async def versions(url: str, headers: dict[str, str], ci_ids: Sequence[str]) -> dict[str, int]:
    """The current version of each CI (updateCI's `expectedVersion`)."""
    async with _client(headers, 300, keep_alive=True) as client:
        found = [await post(client, url, _version_body(ci)) for ci in ci_ids]
    return {ci: data["ci"]["version"] for ci, data in zip(ci_ids, found, strict=True)}


async def send(url: str, headers: dict[str, str], bodies: Sequence[dict[str, Any]]) -> None:
    """Sends the bodies one after the other; RuntimeError on the first refused."""
    async with _client(headers, 300, keep_alive=True) as client:
        for body in bodies:
            await post(client, url, body)


def _version_body(ci_id: str) -> dict[str, Any]:
    return {"query": writes.CI_VERSION, "variables": {"id": ci_id}}


class _Writer:
    """One client's writes of a variant: updateCI of its own CI, or the relateCIs/unrelateCIs
    pair of its own application; nothing for `static`."""

    def __init__(self, variant: str, subjects: Subjects, slot: int, version: int) -> None:
        self.variant = variant
        self.target = subjects.target
        self.updated = subjects.updated[slot % len(subjects.updated)]
        self.dependent = subjects.dependents[slot % len(subjects.dependents)]
        self.version = version
        self.count = 0

    async def write(self, client: httpx.AsyncClient, url: str) -> None:
        self.count += 1
        if self.variant == "updateCI":
            body = writes.update_description(self.updated, self.version, f"bench {self.count}")
            self.version = (await post(client, url, body))["updateCI"]["ci"]["version"]
        elif self.variant == "relateCIs+unrelateCIs":
            await post(client, url, writes.relate(self.dependent, self.target))
            await post(client, url, writes.unrelate(self.dependent, self.target))


@dataclass
class _Tally:
    latencies: list[float]
    write_latencies: list[float]
    errors: int = 0
    first_error: str | None = None
    sample: Any = None

    def failed(self, problem: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or problem


async def _loops(
    client: httpx.AsyncClient,
    url: str,
    body: dict[str, Any],
    writers: Sequence[_Writer],
    count: int,
    budget_s: float,
) -> tuple[_Tally, float]:
    """Each writer's loop: its write, acknowledged, then the question, timed; until `count`
    questions were sent or the budget ran out."""
    tally = _Tally([], [])
    issued = 0
    started = time.perf_counter()
    deadline = started + budget_s

    async def loop(writer: _Writer) -> None:
        nonlocal issued
        while issued < count and time.perf_counter() < deadline:
            issued += 1
            written = time.perf_counter()
            try:
                await writer.write(client, url)
            except (RuntimeError, httpx.HTTPError) as error:
                tally.failed(f"the write: {error}")
                continue
            sent = time.perf_counter()
            if writer.variant != "static":
                tally.write_latencies.append(sent - written)
            try:
                problem, data = answer_problem(await client.post(url, json=body))
            except httpx.HTTPError as error:
                problem, data = f"{type(error).__name__}: {error}", None
            tally.latencies.append(time.perf_counter() - sent)
            if problem is not None:
                tally.failed(problem)
            elif tally.sample is None:
                tally.sample = data

    await asyncio.gather(*(loop(w) for w in writers))
    return tally, time.perf_counter() - started


def _summary(tally: _Tally, seconds: float, concurrency: int) -> Measurement:
    return summarise(
        tally.latencies, tally.errors, seconds, concurrency, tally.first_error, tally.sample
    )


async def measure_after_write(
    url: str,
    headers: dict[str, str],
    body: dict[str, Any],
    variant: str,
    subjects: Subjects,
    bounds: Bounds,
) -> tuple[Measurement, Measurement]:
    """The question after each write of `variant` (AFTER_WRITE_VARIANTS): first one client
    alone (`bounds.warmup` writes and questions), then `bounds.concurrency` clients, each
    writing and asking in turn. Every request on a connection of its own. Returns the
    question's figures (the one-client ones as `alone_*`) and the writes' (write then
    acknowledgement, one pair for relateCIs+unrelateCIs)."""
    check_loopback(url)
    found = await versions(url, headers, subjects.updated) if variant == "updateCI" else {}
    writers = [
        _Writer(
            variant, subjects, slot, found.get(subjects.updated[slot % len(subjects.updated)], 0)
        )
        for slot in range(bounds.concurrency)
    ]
    async with _client(headers, bounds.timeout_s, keep_alive=False) as client:
        alone, alone_s = await _loops(
            client, url, body, writers[:1], bounds.warmup, bounds.budget_s
        )
        loaded, loaded_s = await _loops(
            client, url, body, writers, bounds.requests, bounds.budget_s
        )
    one = _summary(alone, alone_s, 1)
    figures = replace(
        _summary(loaded, loaded_s, bounds.concurrency),
        alone_p50_ms=one.p50_ms,
        alone_p99_ms=one.p99_ms,
    )
    if alone.errors and not loaded.errors:
        figures = replace(figures, errors=alone.errors, first_error=alone.first_error)
    written = summarise(alone.write_latencies + loaded.write_latencies, 0, 0, 1)
    return figures, written
