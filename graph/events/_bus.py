"""The event bus: how a committed write reaches the subscriptions that wait for it
(docs/subscriptions.md).

`EventBus` is the interface; `InProcessBus` the implementation for one API process. Replicas
will share events through a broker implementation of the same interface (the publisher and
the subscriptions do not change). Events are plain frozen dataclasses; the bus knows nothing of
GraphQL.

Each subscriber has its own queue, bounded: a subscriber that falls more than `queue_size`
events behind is dropped, its queue emptied, and its iteration raises `EventsLost`, so that it
knows to read the current state again and subscribe anew. Memory never grows without bound
because one client reads slowly, and a publisher never waits for a subscriber.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["BusClosed", "EventBus", "EventsLost", "InProcessBus", "Topic"]

T = TypeVar("T")


@dataclass(frozen=True)
class Topic(Generic[T]):
    """A named stream of events of one type."""

    name: str


class EventsLost(Exception):
    """The subscriber fell too far behind: events were dropped and the subscription ended."""


class BusClosed(Exception):
    """The bus is not open (start-up has not opened it, or shut-down has closed it)."""


class EventBus(Protocol):
    async def open(self) -> None:
        """Starts accepting subscribers (the application's lifespan calls it)."""
        ...

    async def close(self) -> None:
        """Ends every subscription (their iterations stop) and refuses new ones."""
        ...

    def subscriber_count(self, topic: Topic[Any]) -> int:
        """How many subscribers wait on `topic` now: a publisher skips the work of events
        nobody waits for."""
        ...

    async def publish(self, topic: Topic[T], event: T) -> None:
        """Hands `event` to every subscriber of `topic`, without waiting for any."""
        ...

    def subscribe(self, topic: Topic[T]) -> AbstractAsyncContextManager[AsyncIterator[T]]:
        """The events of `topic` published from now on, while the context is open. Raises
        `BusClosed` when the bus is not open."""
        ...


class _End:
    def __init__(self, lost: bool) -> None:
        self.lost = lost


_CLOSED = _End(lost=False)
_LOST = _End(lost=True)


class _Subscriber(Generic[T]):
    def __init__(self, queue_size: int) -> None:
        self._size = queue_size
        self._queue: asyncio.Queue[T | _End] = asyncio.Queue()
        self.ended = False

    def offer(self, event: T) -> bool:
        """Queues `event`; False when the queue is full (the subscriber is then ended)."""
        if self._queue.qsize() >= self._size:
            self.end(_LOST)
            return False
        self._queue.put_nowait(event)
        return True

    def end(self, why: _End) -> None:
        if self.ended:
            return
        self.ended = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(why)

    async def events(self) -> AsyncIterator[T]:
        while True:
            item = await self._queue.get()
            if isinstance(item, _End):
                if item.lost:
                    raise EventsLost(
                        f"more than {self._size} events were waiting for this subscriber"
                    )
                return
            yield item


class InProcessBus:
    """The bus of one process: asyncio queues, one per subscriber, of at most `queue_size`
    events each. Publishing is O(subscribers of the topic), never blocks."""

    def __init__(self, queue_size: int = 256) -> None:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._queue_size = queue_size
        self._topics: dict[str, set[_Subscriber[Any]]] = {}
        self._open = False

    async def open(self) -> None:
        self._open = True

    async def close(self) -> None:
        self._open = False
        for subscribers in self._topics.values():
            for subscriber in subscribers:
                subscriber.end(_CLOSED)
        self._topics.clear()

    def subscriber_count(self, topic: Topic[Any]) -> int:
        return len(self._topics.get(topic.name, ()))

    async def publish(self, topic: Topic[T], event: T) -> None:
        subscribers = self._topics.get(topic.name)
        if not subscribers:
            return
        for subscriber in list(subscribers):
            if not subscriber.offer(event):
                subscribers.discard(subscriber)

    def subscribe(self, topic: Topic[T]) -> AbstractAsyncContextManager[AsyncIterator[T]]:
        if not self._open:
            raise BusClosed("the event bus is not open")
        return self._subscription(topic)

    @asynccontextmanager
    async def _subscription(self, topic: Topic[T]) -> AsyncIterator[AsyncIterator[T]]:
        subscriber: _Subscriber[T] = _Subscriber(self._queue_size)
        subscribers = self._topics.setdefault(topic.name, set())
        subscribers.add(subscriber)
        try:
            yield subscriber.events()
        finally:
            subscribers.discard(subscriber)
            if not subscribers and self._topics.get(topic.name) is subscribers:
                del self._topics[topic.name]
