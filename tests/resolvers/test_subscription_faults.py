"""A server fault inside a subscription (resolvers/_errors.py, MaskServerFaults) reaches the
client masked, with a correlation id, like one of a query: never its message."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from starlette.applications import Starlette

from graph.events import Topic
from resolvers import Context, build_schema


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
    context = Context(repositories=repositories, actor="test-user")

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
