"""A Neo4j that does not answer gets every call `GraphUnavailable`, and once it is found down,
within the bound, never a hang: not when nothing listens, not when the port accepts connections
and says nothing (a server still starting), not for the calls already waiting then."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from graph import Database, connect
from graph.embedded import free_port
from graph.errors import GraphUnavailable
from tests.conftest import TestServer as SessionServer

BOUND = 1.0
# Far above the bound, far below what the calls took before it (the driver's connection
# timeout of 5 s, then up to 5 s of retries): a guard against a hang, not a measurement.
HANG = 6.0


@contextmanager
def silent(port: int) -> Iterator[None]:
    """Connections to `port` accepted by the kernel and never read: a server still starting."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        yield


async def refused(db: Database) -> GraphUnavailable:
    with pytest.raises(GraphUnavailable) as raised:
        await asyncio.wait_for(db.read_rows("probe", "RETURN 1 AS one"), HANG)
    return raised.value


async def test_nothing_listening_is_unavailable_and_marks_neo4j_down() -> None:
    db = connect(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x", "neo4j", unavailable_after=BOUND)
    try:
        error = await refused(db)
        assert db.availability.down
        assert "not reachable" in str(error) or "did not answer" in str(error)
    finally:
        await db.close()


async def test_a_server_found_down_then_starting_is_unavailable_within_the_bound() -> None:
    port = free_port()
    db = connect(f"bolt://127.0.0.1:{port}", "neo4j", "x", "neo4j", unavailable_after=BOUND)
    try:
        await refused(db)  # it went away: connections refused
        with silent(port):  # it is starting: the port listens, Bolt does not answer yet
            errors = await asyncio.gather(*(refused(db) for _ in range(8)))
        assert all("did not answer within 1 s" in str(e) for e in errors)
        assert db.availability.down
    finally:
        await db.close()


async def test_calls_already_waiting_get_the_bound_once_neo4j_is_found_down() -> None:
    port = free_port()
    db = connect(f"bolt://127.0.0.1:{port}", "neo4j", "x", "neo4j", unavailable_after=BOUND)
    try:
        with silent(port):
            # Not known down yet: this call waits for the Bolt handshake (up to 10 s).
            waiting = asyncio.ensure_future(db.read_rows("probe", "RETURN 1 AS one"))
            await asyncio.sleep(0.2)
            assert not waiting.done()
            db.availability.went_down("another call found it unreachable")
            with pytest.raises(GraphUnavailable, match="did not answer within 1 s"):
                await asyncio.wait_for(waiting, HANG)
    finally:
        await db.close()


async def test_the_first_call_that_succeeds_marks_neo4j_up_again(server: SessionServer) -> None:
    db = connect(server.uri, server.user, server.password, server.database, unavailable_after=BOUND)
    try:
        db.availability.went_down("a test says so")
        assert db.availability.down
        assert await db.read_rows("probe", "RETURN 1 AS one") == [{"one": 1}]
        assert not db.availability.down
    finally:
        await db.close()


def waiting_on_events() -> list[asyncio.Task[object]]:
    return [
        t
        for t in asyncio.all_tasks()
        if getattr(t.get_coro(), "__qualname__", "") == "Event.wait" and not t.done()
    ]


async def test_a_call_cancelled_while_it_runs_leaves_no_task_behind(db: Database) -> None:
    # graphql-core cancels the other resolvers of a field that failed: their calls are
    # cancelled mid-flight, and must not leave a task waiting forever (garbage collected
    # later as "Task was destroyed but it is pending").
    before = len(waiting_on_events())
    slow = asyncio.ensure_future(
        db.read_rows("probe", "UNWIND range(1, 100000000) AS x RETURN count(x) AS n")
    )
    await asyncio.sleep(0.3)
    slow.cancel()
    with pytest.raises(asyncio.CancelledError):
        await slow
    for _ in range(3):
        await asyncio.sleep(0)
    assert len(waiting_on_events()) == before
