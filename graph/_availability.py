"""How long a call waits for a Neo4j that does not answer, and how the calls retry.

The driver's own retries are off (they wait up to their full retry time whatever happens); the
loop here retries instead:
- a Neo4j that cannot be reached (connection refused or dropped, a database still starting)
  marks it down for the whole process. From then on every call, the ones already waiting
  included, gets `bound` seconds to succeed before it raises `GraphUnavailable`. The first call
  that succeeds marks it up again. So while Neo4j is down or starting, requests are answered
  503 within the bound instead of hanging;
- a transient error of a reachable server (a deadlock, a lock that timed out) is retried with a
  growing delay for up to `transient_retry` seconds, as before.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from graph.errors import GraphUnavailable

__all__ = ["Availability", "Transient", "Unreachable"]

T = TypeVar("T")

log = logging.getLogger("cmdb.neo4j")


class Unreachable(GraphUnavailable):
    """One attempt found Neo4j unreachable (worth another try while the bound lasts)."""


class Transient(GraphUnavailable):
    """One attempt met a transient error of a reachable server (worth another try)."""


class _Call:
    """One call's deadline (loop time; None: as long as its work takes), and the event that
    wakes it when the deadline changes."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.changed = asyncio.Event()

    def reschedule(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.changed.set()


class Availability:
    """Whether Neo4j answered the last call, shared by every call of one process."""

    def __init__(self, bound: float = 2.0, transient_retry: float = 5.0) -> None:
        self.bound = bound
        self.transient_retry = transient_retry
        self._down_since: float | None = None
        self._calls: set[_Call] = set()

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def went_down(self, reason: object) -> None:
        """Neo4j could not be reached: every call now has at most `bound` seconds left."""
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning("Neo4j is not reachable (%s): calls get %.0f s", reason, self.bound)
        deadline = asyncio.get_running_loop().time() + self.bound
        for call in self._calls:
            if call.deadline is None or call.deadline > deadline:
                call.reschedule(deadline)

    def came_up(self) -> None:
        """A call succeeded: the others wait as long as their work takes again."""
        if self._down_since is not None:
            log.warning("Neo4j answers again after %.1f s", time.monotonic() - self._down_since)
            self._down_since = None
            for call in self._calls:
                call.reschedule(None)

    async def run(self, operation: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """`attempt()` until it succeeds, retrying `Unreachable` within the bound and
        `Transient` within `transient_retry`; raises `GraphUnavailable` when the bound ends."""
        loop = asyncio.get_running_loop()
        call = _Call(loop.time() + self.bound if self.down else None)
        self._calls.add(call)
        delay = 0.05
        transient_until: float | None = None
        try:
            while True:
                try:
                    outcome = await self._within(call, attempt)
                except Unreachable as error:
                    self.went_down(error)
                except Transient:
                    now = time.monotonic()
                    transient_until = transient_until or now + self.transient_retry
                    if now >= transient_until:
                        raise
                else:
                    self.came_up()
                    return outcome
                if call.deadline is not None and loop.time() >= call.deadline:
                    raise self._gave_up(operation)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, 1.0)
        except TimeoutError as error:
            raise self._gave_up(operation) from error
        finally:
            self._calls.discard(call)

    @staticmethod
    async def _within(call: _Call, attempt: Callable[[], Awaitable[T]]) -> T:
        """The outcome of one attempt, or TimeoutError at the call's deadline. The attempt runs
        as a task of its own that is left behind at the deadline: the driver does not give up
        a Bolt handshake when cancelled, only at its own connection deadline."""
        task = asyncio.ensure_future(attempt())
        loop = asyncio.get_running_loop()
        try:
            while not task.done():
                if call.deadline is not None and loop.time() >= call.deadline:
                    task.cancel()
                    task.add_done_callback(_forget)
                    raise TimeoutError
                call.changed.clear()
                changed = asyncio.ensure_future(call.changed.wait())
                timeout = None if call.deadline is None else call.deadline - loop.time()
                try:
                    await asyncio.wait(
                        {task, changed}, timeout=timeout, return_when="FIRST_COMPLETED"
                    )
                finally:  # cancelled too: else it waits forever, and is collected pending
                    changed.cancel()
        except asyncio.CancelledError:
            task.cancel()
            task.add_done_callback(_forget)
            raise
        return task.result()

    def _gave_up(self, operation: str) -> GraphUnavailable:
        log.warning("%s: Neo4j did not answer within %.0f s", operation, self.bound)
        return GraphUnavailable(
            f"Neo4j did not answer within {self.bound:.0f} s (it is down or starting)"
        )


def _forget(task: asyncio.Task[Any]) -> None:
    """Collects the outcome of an attempt left behind, so nothing reports it as lost."""
    if not task.cancelled():
        task.exception()
