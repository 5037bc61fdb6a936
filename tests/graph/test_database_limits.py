"""The database's bounds: a transaction timeout Neo4j enforces, and the observer that hears
every query and transaction."""

from __future__ import annotations

import pytest

from graph import Database, connect
from graph.errors import GraphError, GraphUnavailable
from tests import conftest

ENDLESS = "UNWIND range(1, 1000000000) AS n WITH n WHERE n < 0 RETURN count(n) AS found"


async def test_a_transaction_past_its_timeout_is_stopped_by_neo4j(
    server: conftest.TestServer,
) -> None:
    bounded = connect(
        server.uri, server.user, server.password, server.database, transaction_timeout=0.5
    )
    try:
        with pytest.raises(GraphUnavailable) as raised:
            await bounded.read_rows("test.endless", ENDLESS)
    finally:
        await bounded.close()

    assert str(raised.value) == "Neo4j stopped the transaction after its timeout of 0.5 s"


class Recorder:
    def __init__(self) -> None:
        self.queries: list[float] = []
        self.transactions: list[tuple[str, bool]] = []
        self.loads: list[float] = []

    def query_finished(self, seconds: float) -> None:
        self.queries.append(seconds)

    def transaction_finished(self, operation: str, seconds: float, *, failed: bool) -> None:
        self.transactions.append((operation, failed))

    def topology_loaded(self, seconds: float, reason: str) -> None:
        self.loads.append(seconds)

    def topology_followed(self, deltas: int, seconds: float) -> None:
        return None


async def test_the_observer_hears_each_query_and_transaction(db: Database) -> None:
    recorder = Recorder()
    before = db.observer
    db.observer = recorder
    try:
        await db.read_rows("test.one", "RETURN 1 AS one")
        with pytest.raises(GraphError, match="SyntaxError"):
            await db.read_rows("test.broken", "RETURN ,")
    finally:
        db.observer = before

    assert len(recorder.queries) == 1
    assert recorder.queries[0] >= 0
    assert recorder.transactions == [("test.one", False), ("test.broken", True)]
