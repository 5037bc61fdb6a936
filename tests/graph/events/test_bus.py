"""The in-process event bus (graph/events/_bus.py): events in order to every subscriber of
their topic, a bounded queue per subscriber, a clear end when one falls behind or the bus
closes."""

from __future__ import annotations

import pytest

from graph.events import BusClosed, EventsLost, InProcessBus, Topic

NUMBERS: Topic[int] = Topic("numbers")
WORDS: Topic[str] = Topic("words")


async def test_every_subscriber_of_a_topic_gets_its_events_in_order() -> None:
    bus = InProcessBus(queue_size=10)
    await bus.open()
    async with (
        bus.subscribe(NUMBERS) as first,
        bus.subscribe(NUMBERS) as second,
        bus.subscribe(WORDS) as words,
    ):
        assert bus.subscriber_count(NUMBERS) == 2
        for n in (1, 2, 3):
            await bus.publish(NUMBERS, n)
        await bus.publish(WORDS, "one")
        assert [await anext(first) for _ in range(3)] == [1, 2, 3]
        assert [await anext(second) for _ in range(3)] == [1, 2, 3]
        assert await anext(words) == "one"
    assert bus.subscriber_count(NUMBERS) == 0
    await bus.close()


async def test_a_subscriber_that_falls_behind_is_dropped_with_events_lost() -> None:
    bus = InProcessBus(queue_size=2)
    await bus.open()
    async with bus.subscribe(NUMBERS) as slow, bus.subscribe(NUMBERS) as quick:
        await bus.publish(NUMBERS, 1)
        await bus.publish(NUMBERS, 2)
        assert await anext(quick) == 1
        assert await anext(quick) == 2
        await bus.publish(NUMBERS, 3)  # slow has 2 waiting already: dropped

        assert bus.subscriber_count(NUMBERS) == 1
        assert await anext(quick) == 3
        with pytest.raises(EventsLost, match="more than 2 events were waiting"):
            await anext(slow)
    await bus.close()


async def test_closing_the_bus_ends_every_subscription_and_refuses_new_ones() -> None:
    bus = InProcessBus()
    await bus.open()
    async with bus.subscribe(NUMBERS) as stream:
        await bus.publish(NUMBERS, 1)
        await bus.close()
        assert [n async for n in stream] == []  # what was waiting is dropped with the end
    with pytest.raises(BusClosed):
        bus.subscribe(NUMBERS)
    await bus.publish(NUMBERS, 2)  # nobody listens: a no-op


def test_a_queue_must_hold_an_event() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        InProcessBus(queue_size=0)
