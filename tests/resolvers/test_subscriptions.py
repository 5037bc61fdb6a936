"""How subscriptions end badly: a server fault (resolvers/_errors.py, MaskServerFaults)
reaches the client masked, with a correlation id, never its message; a subscriber that falls
behind ends with EVENTS_LOST (resolvers/_subscriptions.py)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from starlette.applications import Starlette

from graph.access import AuthMethod, Principal, Role
from graph.events import CIS, InProcessBus, RecordUpdate, Topic
from resolvers import Context, build_schema
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

ADMIN = Principal("test-user", frozenset({Role.ADMIN}), AuthMethod.JWT)


class BrokenBus:
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    def subscriber_count(self, topic: Topic[Any]) -> int:
        return 0

    async def publish(self, topic: Topic[Any], event: Any) -> None: ...

    def subscribe(self, topic: Topic[Any]) -> AbstractAsyncContextManager[AsyncIterator[Any]]:
        raise RuntimeError("secret detail of the broker")


async def test_a_fault_in_a_subscription_is_masked(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    repositories = dataclasses.replace(app.state.repositories, events=BrokenBus())
    context = Context(repositories=repositories, principal=ADMIN)

    stream = await build_schema().subscribe(
        "subscription { ciUpdated { ci { id } } }", context_value=context
    )
    # As each result is handed to the transport: what the client is sent.
    sent = [[(e.message, dict(e.extensions or {})) for e in r.errors or ()] async for r in stream]

    [[(message, extensions)]] = sent
    assert message == "Internal server error."
    assert extensions["code"] == "INTERNAL_SERVER_ERROR"
    correlation = extensions["correlationId"]
    assert any(correlation in record.getMessage() for record in caplog.records)


async def test_a_subscriber_that_falls_behind_ends_with_events_lost(
    app: Starlette, gql: GraphQLClient
) -> None:
    bus = InProcessBus(queue_size=1)
    await bus.open()
    repositories = dataclasses.replace(app.state.repositories, events=bus)
    ci = await repositories.cis.get(await create_ci(gql, "orders-db", "DATABASE"))
    assert ci is not None
    stream = await build_schema().subscribe(
        "subscription { ciUpdated { ci { name } } }",
        context_value=Context(repositories=repositories, principal=ADMIN),
    )
    first = asyncio.ensure_future(anext(stream))
    while bus.subscriber_count(CIS) == 0:  # noqa: ASYNC110 - the bus signals nothing
        await asyncio.sleep(0.01)

    for _ in range(2):  # before the subscriber reads: the second does not fit
        await bus.publish(CIS, RecordUpdate(ci, "updateCI", "test-user", ()))

    result = await first
    assert result.data is None
    [error] = result.errors
    assert error.message == (
        "more than 1 events were waiting for this subscriber: read the current state again "
        "and subscribe anew"
    )
    assert error.extensions == {"code": "EVENTS_LOST"}
    await bus.close()
