"""The reliability load generator: N clients against a running `cmdb serve`, at a constant
arrival rate (each request is due at a fixed time and its latency counts from then, so a
stalled server cannot hide the requests it held up), 70 % reads and 30 % writes.

Every write carries an Idempotency-Key. An answer that leaves its outcome unknown (a timeout, a
dropped connection, 503, a masked server fault, a key still in use) is retried with the SAME key
in the background until the outcome is known or the plan's settle time ends; the client goes on
with its schedule meanwhile."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.reliability import load_ops as ops
from tests.reliability.load_plan import READ_MIX, WRITE_MIX, LoadPlan, due_times, interleave
from tests.reliability.load_writes import ACKED, REFUSED, Planner, Write

__all__ = ["Attempt", "LoadResult", "classify", "run_load"]

COMMITTED = "IDEMPOTENCY_KEY_COMMITTED"
"""The write committed, its response was lost: applied, the outcome's data never learned."""
UNKNOWN_OUTCOME = frozenset(
    {"SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "IDEMPOTENCY_KEY_IN_USE", COMMITTED}
)
"""Error codes after which a write may or may not have been applied: retried with its key."""
MAX_RETRY_DELAY = 8.0
"""Seconds between two retries of one write at most (doubling from 0.5 s, with jitter)."""
ABANDONED_AFTER = 4
"""IDEMPOTENCY_KEY_IN_USE answers in a row (each after the server's wait, 10 s by default)
after which a key's claim is taken for abandoned: held longer than a request's time budget
(30 s) by a request that is gone."""


@dataclass(frozen=True)
class Attempt:
    kind: str
    due: float
    """Seconds from the start of the load when it was due (a retry: when it was sent)."""
    answered: float
    code: str
    """OK, the error's code, HTTP_<status>, or the transport error's name."""
    scheduled: bool
    """A request of the schedule (not a retry)."""


@dataclass
class LoadResult:
    plan: LoadPlan
    seconds: float
    """How long the scheduled requests took to be sent and answered."""
    attempts: list[Attempt] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    side: Any = None
    """What the task run beside the load (a fault) returned."""
    memory: dict[str, Any] = field(default_factory=dict)

    def codes(self, *, writes: bool | None = None) -> Counter[str]:
        """Answers by code, retries included (`writes`: only writes, only reads, or both)."""
        write_kinds = {"create_incident", "transition_incident", "relate", "unrelate", "import_cis"}
        return Counter(
            a.code for a in self.attempts if writes is None or (a.kind in write_kinds) == writes
        )


def _code(response: httpx.Response, root: str | None) -> tuple[str, Any]:
    try:
        parsed = response.json()
    except ValueError:
        return f"HTTP_{response.status_code}", None
    errors = parsed.get("errors") if isinstance(parsed, dict) else None
    if errors:
        code = (errors[0].get("extensions") or {}).get("code") or f"HTTP_{response.status_code}"
        return str(code), None
    if response.status_code != 200:
        return f"HTTP_{response.status_code}", None
    data = parsed.get("data")
    payload = (data or {}).get(root) if root else None
    if isinstance(payload, dict):
        if payload.get("errors"):
            return f"REFUSED_{payload['errors'][0].get('code') or 'ERROR'}", data
        if payload.get("refused"):
            return "REFUSED_IMPORT", data
    return "OK", data


def classify(code: str) -> str:
    """ACKED, REFUSED (the API said what it refused: nothing written) or UNKNOWN."""
    if code == "OK":
        return ACKED
    if code.startswith("REFUSED_"):
        return REFUSED
    if code in UNKNOWN_OUTCOME or code.startswith(("HTTP_5", "TRANSPORT_")):
        return "UNKNOWN"
    return REFUSED  # a request error: the document or a variable was refused, nothing ran


ROOTS = {
    "create_incident": "createIncident",
    "transition_incident": "transitionIncident",
    "relate": "relateCIs",
    "unrelate": "unrelateCIs",
    "import_cis": "importCIs",
}


class _Load:
    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        subjects: ops.Subjects,
        plan: LoadPlan,
        run: str,
    ) -> None:
        self.base_url, self.headers, self.subjects, self.plan = base_url, headers, subjects, plan
        self.planner = Planner(run, subjects)
        self.attempts: list[Attempt] = []
        self.settling: set[asyncio.Task[None]] = set()
        # Retries in flight at once, all clients together: an outage leaves hundreds of
        # writes to retry, and a herd of them at once keeps a recovering API down.
        self.retrying = asyncio.Semaphore(max(2, plan.clients // 4))
        self.start = 0.0
        self.settle_until = 0.0
        total = int(plan.seconds * plan.rate) + plan.clients
        self.kinds = interleave({**READ_MIX, **WRITE_MIX}, total)

    def now(self) -> float:
        return time.monotonic() - self.start

    def _read(self, kind: str, n: int) -> dict[str, Any]:
        ids = self.subjects.ci_ids
        if kind == "ci_page":
            return ops.body(ops.CI_PAGE)
        if kind == "ci_by_id":
            return ops.body(ops.CI_BY_ID, id=ids[n % len(ids)])
        if kind == "impact":
            return ops.body(ops.IMPACT, id=self.subjects.impact_ci)
        if kind == "incident_list":
            return ops.body(ops.INCIDENT_LIST)
        return ops.body(ops.CHANGE_SCHEDULE, **ops.change_schedule_window())

    async def _send(
        self,
        http: httpx.AsyncClient,
        request: dict[str, Any],
        root: str | None,
        key: str | None = None,
    ) -> tuple[str, Any, bool]:
        headers = dict(self.headers)
        if key is not None:
            headers["idempotency-key"] = key
        try:
            response = await http.post("/graphql", json=request, headers=headers)
        except httpx.HTTPError as error:
            return f"TRANSPORT_{type(error).__name__}", None, False
        code, data = _code(response, root)
        return code, data, response.headers.get("idempotent-replayed") == "true"

    async def client(self, index: int) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=self.plan.timeout) as http:
            for n, due in due_times(self.plan, index):
                await asyncio.sleep(max(0.0, due - self.now()))
                kind = self.kinds[n]
                if kind in READ_MIX:
                    code, _, _ = await self._send(http, self._read(kind, n), None)
                    self.attempts.append(Attempt(kind, due, self.now(), code, True))
                    continue
                write = self.planner.make(kind)
                await self._attempt(http, write, due, scheduled=True)
                if classify(write.codes[-1]) == "UNKNOWN":
                    task = asyncio.create_task(self._settle(write))
                    self.settling.add(task)
                    task.add_done_callback(self.settling.discard)
                else:
                    self.planner.learned(write)

    async def _attempt(
        self, http: httpx.AsyncClient, write: Write, due: float, *, scheduled: bool
    ) -> None:
        code, data, replayed = await self._send(http, write.request, ROOTS[write.kind], write.key)
        write.codes.append(code)
        write.replays += replayed
        outcome = classify(code)
        if outcome != "UNKNOWN":
            write.outcome, write.data = outcome, data
        self.attempts.append(Attempt(write.kind, due, self.now(), code, scheduled))

    async def _settle(self, write: Write) -> None:
        """Retries `write` with its key until its outcome is known or the settle time ends;
        gives up early on a key that stays in use longer than any request may run."""
        delay = 0.5
        async with httpx.AsyncClient(base_url=self.base_url, timeout=self.plan.timeout) as http:
            while time.monotonic() < self.settle_until:
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, MAX_RETRY_DELAY)
                async with self.retrying:
                    await self._attempt(http, write, self.now(), scheduled=False)
                if classify(write.codes[-1]) != "UNKNOWN":
                    self.planner.learned(write)
                    return
                if write.codes[-1] == COMMITTED:  # applied: the check finds it once
                    return
                if write.codes[-ABANDONED_AFTER:] == ["IDEMPOTENCY_KEY_IN_USE"] * ABANDONED_AFTER:
                    write.abandoned = True
                    return


def _memory(pid: int | None) -> dict[str, Any]:
    """The process's resident memory (KiB) and open files, from /proc."""
    if pid is None:
        return {}
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        files = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return {}
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return {"rss_kib": rss, "open_files": files}


async def run_load(
    base_url: str,
    headers: dict[str, str],
    subjects: ops.Subjects,
    plan: LoadPlan,
    run: str,
    *,
    beside: Callable[[float], Awaitable[Any]] | None = None,
    api_pid: Callable[[], int | None] = lambda: None,
) -> LoadResult:
    """Runs `plan` and returns every answer and every write with its outcome. `beside(start)`
    runs at the same time (a fault: `start` is the load's monotonic start); `api_pid` names
    the API process whose memory and open files are read after the warm-up and at the end."""
    load = _Load(base_url, headers, subjects, plan, run)
    load.start = time.monotonic()
    load.settle_until = load.start + plan.seconds + plan.settle_seconds
    side = asyncio.create_task(beside(load.start)) if beside is not None else None

    async def sample_after_warmup() -> dict[str, Any]:
        await asyncio.sleep(plan.warmup_seconds)
        return _memory(api_pid())

    warm = asyncio.create_task(sample_after_warmup())
    try:
        await asyncio.gather(*(load.client(i) for i in range(plan.clients)))
        seconds = load.now()
        end = _memory(api_pid())
        side_result = await side if side is not None else None
        while load.settling:
            await asyncio.gather(*list(load.settling))
        memory = {"after_warmup": await warm, "end": end}
    finally:  # interrupted: a paused Neo4j is resumed, a full disk freed (the fault's own end)
        for task in [warm, *([side] if side else []), *load.settling]:
            task.cancel()
    return LoadResult(plan, seconds, load.attempts, load.planner.writes, side_result, memory)
