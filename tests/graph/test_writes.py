"""The write recipe (`graph/_writes.py`): work, history, topology token, after-commit hooks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from neo4j import AsyncManagedTransaction

from graph import Database, HistoryRepository, InvalidInput
from graph._history import NewEvent
from graph._writes import Committed, Writes, Written, next_number
from graph.domain import new_event_id

CREATE = "CREATE (:CI {id: $id, name: $id, class: 'Server'})"
TOKEN = "OPTIONAL MATCH (v:TopologyVersion) RETURN v.token AS token"
EVENTS = "MATCH (:CI {id: $id})-[:HAS_EVENT]->(e:AuditEvent) RETURN e.summary AS summary"


async def token(db: Database) -> str | None:
    rows = await db.read_rows("test.token", TOKEN)
    return rows[0]["token"] if rows else None


def creating(
    db: Database, ci_id: str
) -> Callable[[AsyncManagedTransaction], Awaitable[Written[str]]]:
    async def work(tx: AsyncManagedTransaction) -> Written[str]:
        await db.query(tx, CREATE, id=ci_id)
        return Written(ci_id, [NewEvent(new_event_id(), "test", f"{ci_id} created", (ci_id,))])

    return work


async def test_a_write_records_its_events_sets_the_token_and_then_calls_the_hooks(
    db: Database,
) -> None:
    heard: list[Committed] = []

    async def hook(committed: Committed) -> None:
        heard.append(committed)
        # After the commit: another transaction sees the write.
        assert await db.read_rows("test.seen", "MATCH (c:CI {id: 'a'}) RETURN c.id AS id")

    writes = Writes(db, HistoryRepository(db), after_commit=[hook])
    before = await token(db)

    result = await writes.write("test.create", "ann", creating(db, "a"), changes_topology=True)

    assert result == "a"
    assert await db.read_rows("test.events", EVENTS, id="a") == [{"summary": "a created"}]
    assert await token(db) not in (None, before)
    [committed] = heard
    assert (committed.operation, committed.actor, committed.topology_changed) == (
        "test.create",
        "ann",
        True,
    )
    assert [event.summary for event in committed.events] == ["a created"]


async def test_a_write_that_changes_nothing_sets_no_token(db: Database) -> None:
    writes = Writes(db, HistoryRepository(db))
    before = await token(db)

    async def confirm(tx: AsyncManagedTransaction) -> Written[None]:
        return Written(None)

    await writes.write("test.confirm", "ann", confirm, changes_topology=True)

    assert await token(db) == before


async def test_a_write_outside_the_topology_sets_no_token(db: Database) -> None:
    writes = Writes(db, HistoryRepository(db))
    before = await token(db)

    await writes.write("test.create", "ann", creating(db, "b"), changes_topology=False)

    assert await token(db) == before


async def test_a_refused_write_rolls_back_whole_and_calls_no_hook(db: Database) -> None:
    heard: list[Committed] = []

    async def hook(committed: Committed) -> None:
        heard.append(committed)

    writes = Writes(db, HistoryRepository(db), after_commit=[hook])

    async def refused(tx: AsyncManagedTransaction) -> Written[None]:
        await db.query(tx, CREATE, id="c")
        raise InvalidInput([])

    with pytest.raises(InvalidInput):
        await writes.write("test.refused", "ann", refused, changes_topology=True)

    assert heard == []
    assert await db.read_rows("test.seen", "MATCH (c:CI) RETURN c.id AS id") == []


NUMBERED = "CREATE (:Incident {id: $id, number: $number})"


async def test_parallel_writers_get_unique_consecutive_numbers(db: Database) -> None:
    writes = Writes(db, HistoryRepository(db))

    async def numbered(i: int) -> int:
        async def work(tx: AsyncManagedTransaction) -> Written[int]:
            number = await next_number(db, tx, "incident", start=1001)
            await db.query(tx, NUMBERED, id=f"inc-{i}", number=f"INC{number:07d}")
            return Written(number)

        return await writes.write("test.number", "ann", work, changes_topology=False)

    numbers = await asyncio.gather(*(numbered(i) for i in range(40)))

    assert sorted(numbers) == list(range(1001, 1041))
    rows = await db.read_rows("t", "MATCH (i:Incident) RETURN i.number AS n ORDER BY n")
    assert [row["n"] for row in rows] == [f"INC{n:07d}" for n in range(1001, 1041)]


async def test_a_block_of_numbers_is_consecutive_and_a_rolled_back_one_leaves_no_gap(
    db: Database,
) -> None:
    async def block(tx: AsyncManagedTransaction) -> int:
        return await next_number(db, tx, "change", count=3)

    async def refused(tx: AsyncManagedTransaction) -> int:
        await next_number(db, tx, "change")
        raise InvalidInput([])

    assert await db.write("test.block", block) == 1
    with pytest.raises(InvalidInput):
        await db.write("test.refused", refused)
    assert await db.write("test.block", block) == 4
