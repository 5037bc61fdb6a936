"""What every subscription does (docs/subscriptions.md): wait on a topic of the event bus,
keep the events its filter accepts, and end with a typed error when the bus drops it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from graphql import GraphQLError

from graph.events import BusClosed, EventsLost, Topic
from resolvers._context import Context

__all__ = ["MAX_WATCHED", "SubscriptionEnded", "check_watched", "events", "watching"]

T = TypeVar("T")

MAX_WATCHED = 100
"""The most ids one subscription filter names."""


class SubscriptionEnded(GraphQLError):
    """The subscription cannot go on: shown as it is, with its code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def check_watched(field: str, ids: list[str] | None) -> None:
    if ids is not None and len(ids) > MAX_WATCHED:
        message = f"{field}: at most {MAX_WATCHED} ids in one subscription"
        raise SubscriptionEnded(message, "BAD_USER_INPUT")


@asynccontextmanager
async def watching(context: Context, topic: Topic[T]) -> AsyncIterator[AsyncIterator[T]]:
    """The events of `topic` published from entering on. Before each one the context's
    DataLoaders are renewed: a connection lives long, and a record's neighbours must be read
    as they are when the event happens, not as first cached. A dropped subscriber ends with
    EVENTS_LOST, a closing bus with SERVICE_UNAVAILABLE."""
    try:
        async with context.repositories.events.subscribe(topic) as stream:
            yield _renewing(context, stream)
    except EventsLost as error:
        message = f"{error}: read the current state again and subscribe anew"
        raise SubscriptionEnded(message, "EVENTS_LOST") from error
    except BusClosed as error:
        raise SubscriptionEnded("the server is shutting down", "SERVICE_UNAVAILABLE") from error


async def _renewing(context: Context, stream: AsyncIterator[T]) -> AsyncIterator[T]:
    async for event in stream:
        context.renew_loaders()
        yield event


async def events(
    context: Context, topic: Topic[T], accept: Callable[[T], bool]
) -> AsyncGenerator[T, None]:
    """The events of `topic` that `accept` keeps (see `watching`)."""
    async with watching(context, topic) as stream:
        async for event in stream:
            if accept(event):
                yield event
