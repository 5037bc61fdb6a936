"""Writes of the same CI or edge at the same time: the second writer sees what the first
wrote, so an edge is created once and a version is never reused."""

from __future__ import annotations

import asyncio
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

CLIENTS = 20

UPDATE_CI = """
mutation($input: UpdateCIInput!) {
  updateCI(input: $input) { ci { version owner } errors { field code message } }
}
"""
UNRELATE = """
mutation($input: UnrelateCIsInput!) {
  unrelateCIs(input: $input) { relationship { validTo } errors { field code } }
}
"""
EDGES = """
MATCH (:CI {id: $from})-[r:RUNS_ON]->(:CI {id: $to})
RETURN count(r) AS edges, sum(CASE WHEN r.validTo IS NULL THEN 1 ELSE 0 END) AS current
"""
ADDED = """
MATCH (:CI {id: $from})-[:HAS_EVENT]->(e:AuditEvent) WHERE e.summary ENDS WITH ' added'
RETURN count(e) AS n
"""


async def test_parallel_relates_of_one_pair_create_one_edge_and_confirm_it_otherwise(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "orders", "APPLICATION")
    host = await create_ci(gql, "vm-1", "VIRTUAL_MACHINE")

    payloads = await asyncio.gather(
        *(relate(gql, app, host, "RUNS_ON", confidence=0.8) for _ in range(CLIENTS))
    )

    assert all(p["errors"] == [] for p in payloads), payloads
    assert sorted(p["created"] for p in payloads) == [False] * (CLIENTS - 1) + [True]
    assert await db.read_rows("t", EDGES, **{"from": app, "to": host}) == [
        {"edges": 1, "current": 1}
    ]
    assert await db.read_rows("t", ADDED, **{"from": app}) == [{"n": 1}]
    created_at = {p["relationship"]["createdAt"] for p in payloads}
    assert len(created_at) == 1


async def test_parallel_updates_at_one_version_let_one_through_and_refuse_the_rest(
    gql: GraphQLClient,
) -> None:
    ci = await create_ci(gql, "orders", "APPLICATION")

    async def update(owner: str) -> Any:
        data = await gql(UPDATE_CI, input={"id": ci, "expectedVersion": 1, "owner": owner})
        return data["updateCI"]

    payloads = await asyncio.gather(*(update(f"owner-{i}") for i in range(CLIENTS)))

    done = [p for p in payloads if p["ci"] is not None]
    refused = [p for p in payloads if p["ci"] is None]
    assert [p["ci"]["version"] for p in done] == [2]
    assert len(refused) == CLIENTS - 1
    assert {(e["field"], e["code"]) for p in refused for e in p["errors"]} == {
        ("expectedVersion", "CONFLICT")
    }


async def test_parallel_unrelates_of_one_edge_close_it_once(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "orders", "APPLICATION")
    host = await create_ci(gql, "vm-1", "VIRTUAL_MACHINE")
    await relate(gql, app, host, "RUNS_ON")

    async def unrelate() -> Any:
        data = await gql(UNRELATE, input={"from": app, "to": host, "type": "RUNS_ON"})
        return data["unrelateCIs"]

    payloads = await asyncio.gather(*(unrelate() for _ in range(CLIENTS)))

    closed = [p for p in payloads if p["relationship"] is not None]
    assert len(closed) == 1
    assert {(e["field"], e["code"]) for p in payloads for e in p["errors"]} == {("to", "NOT_FOUND")}
    assert await db.read_rows("t", EDGES, **{"from": app, "to": host}) == [
        {"edges": 1, "current": 0}
    ]
