"""A mark that every write transaction of the current task writes with its own work, in the
same transaction: an idempotency key's "committed" (graph/idempotency/), so that whether a
request's write committed is never ambiguous, whatever happens to the process after."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from neo4j import AsyncManagedTransaction

__all__ = ["Mark", "marked", "marking"]

T = TypeVar("T")
Mark = Callable[[AsyncManagedTransaction], Awaitable[None]]

_MARK: ContextVar[Mark | None] = ContextVar("cmdb_write_mark", default=None)


@contextmanager
def marking(mark: Mark) -> Iterator[None]:
    """Within the block, every write transaction of this task (and the tasks it starts) runs
    `mark` after its work, before it commits; `mark` may raise to roll the write back."""
    token = _MARK.set(mark)
    try:
        yield
    finally:
        _MARK.reset(token)


def marked(
    work: Callable[[AsyncManagedTransaction], Awaitable[T]],
) -> Callable[[AsyncManagedTransaction], Awaitable[T]]:
    """`work`, followed by the current mark in its transaction (`work` itself without one)."""
    mark = _MARK.get()
    if mark is None:
        return work
    current: Mark = mark

    async def with_mark(tx: AsyncManagedTransaction) -> T:
        outcome = await work(tx)
        await current(tx)
        return outcome

    return with_mark
