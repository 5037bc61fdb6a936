"""Imports running at the same time never duplicate a CI or an edge: the second writer
confirms what the first created, and the clients' counts add up (docs/import.md, "Imports at
the same time")."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.import_helpers import edge, import_cis, row

CLIENTS = 20
SIZE = 300

DUPLICATE_EDGES = """
MATCH (a:CI)-[r]->(b:CI) WHERE type(r) <> 'HAS_EVENT' AND r.validTo IS NULL
WITH a, b, type(r) AS kind, count(r) AS n WHERE n > 1
RETURN count(*) AS duplicates
"""
CURRENT_EDGES = """
MATCH (:CI)-[r]->(:CI) WHERE type(r) <> 'HAS_EVENT' AND r.validTo IS NULL
RETURN count(r) AS n
"""
SERIALS = "MATCH (c:CI) RETURN c.serialNumber AS serial, c.externalIds AS ids"
# A batch's relationship additions are one event listing each edge once, and each end CI's
# reference (`HAS_EVENT` with `entries`) names its edges: each edge is referenced by both ends.
EVENTS = """
MATCH (e:AuditEvent)
RETURN sum(CASE WHEN e.summary CONTAINS ' created by import' THEN 1 ELSE 0 END) AS cis,
       sum(size([s IN coalesce(e.entrySummaries, []) WHERE s CONTAINS ' added by import']))
           AS edges,
       sum(size(coalesce(e.entryChanges, []))) AS changes
"""
REFERENCES = """
MATCH (:CI)-[h:HAS_EVENT]->(e:AuditEvent) WHERE h.entries IS NOT NULL
RETURN sum(size(h.entries)) AS ends, sum(size([i IN h.entries WHERE i >= size(e.entrySummaries)]))
    AS dangling
"""


def servers(prefix: str) -> list[dict[str, Any]]:
    """SIZE servers named by `prefix` ids, with serial numbers that do not depend on it."""
    return [
        row(f"{prefix}-{i}", f"srv-{i}", "SERVER", serialNumber=f"SN-{i:04d}") for i in range(SIZE)
    ]


def chains(prefix: str) -> list[dict[str, Any]]:
    """Each server depends on the next one and on the one after it: 2 * SIZE - 3 edges."""
    return [
        edge(f"{prefix}-{i}", f"{prefix}-{i + step}", "DEPENDS_ON")
        for step in (1, 2)
        for i in range(SIZE - step)
    ]


async def at_once(calls: list[Awaitable[dict[str, Any]]]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*calls))


def assert_clean(payload: dict[str, Any]) -> None:
    assert payload["errors"] == [] and payload["rowErrors"] == [], payload
    assert (payload["failed"], payload["relationshipsFailed"], payload["refused"]) == (
        0,
        0,
        False,
    )
    assert payload["created"] + payload["updated"] + payload["unchanged"] == SIZE
    reported = ("relationshipsCreated", "relationshipsUpdated", "relationshipsConfirmed")
    assert sum(payload[key] for key in reported) == 2 * SIZE - 3


async def assert_each_ci_and_edge_once(db: Database) -> list[dict[str, Any]]:
    cis = await db.read_rows("t", SERIALS)
    assert sorted(ci["serial"] for ci in cis) == [f"SN-{i:04d}" for i in range(SIZE)]
    assert await db.read_rows("t", DUPLICATE_EDGES) == [{"duplicates": 0}]
    assert await db.read_rows("t", CURRENT_EDGES) == [{"n": 2 * SIZE - 3}]
    edges = 2 * SIZE - 3
    assert await db.read_rows("t", EVENTS) == [{"cis": SIZE, "edges": edges, "changes": edges}]
    assert await db.read_rows("t", REFERENCES) == [{"ends": 2 * edges, "dangling": 0}]
    return cis


async def test_parallel_imports_of_the_same_new_cis_create_each_ci_and_edge_once(
    gql: GraphQLClient, db: Database
) -> None:
    payloads = await at_once(
        [import_cis(gql, "discovery", servers("d"), chains("d")) for _ in range(CLIENTS)]
    )

    for payload in payloads:
        assert_clean(payload)
    assert sum(p["created"] for p in payloads) == SIZE
    assert sum(p["relationshipsCreated"] for p in payloads) == 2 * SIZE - 3
    # The others found the CIs and edges as they report them.
    assert sum(p["unchanged"] for p in payloads) == (CLIENTS - 1) * SIZE
    assert sum(p["relationshipsConfirmed"] for p in payloads) == (CLIENTS - 1) * (2 * SIZE - 3)
    cis = await assert_each_ci_and_edge_once(db)
    for ci in cis:
        assert ci["ids"] == [f"discovery\u001fd-{int(ci['serial'][3:])}"]

    again = await import_cis(gql, "discovery", servers("d"), chains("d"))

    assert again["rowErrors"] == [] and again["unchanged"] == SIZE


async def test_parallel_imports_from_two_sources_with_the_same_serial_numbers_share_the_cis(
    gql: GraphQLClient, db: Database
) -> None:
    sources = [("vcenter", "v") if i % 2 else ("netdisco", "n") for i in range(CLIENTS)]

    payloads = await at_once(
        [import_cis(gql, source, servers(prefix), chains(prefix)) for source, prefix in sources]
    )

    for payload in payloads:
        assert_clean(payload)
    assert sum(p["created"] for p in payloads) == SIZE
    assert sum(p["relationshipsCreated"] for p in payloads) == 2 * SIZE - 3
    cis = await assert_each_ci_and_edge_once(db)
    # Each CI carries both sources' ids: the second source identified it by serial number.
    for ci in cis:
        number = int(ci["serial"][3:])
        assert sorted(ci["ids"]) == [f"netdisco\u001fn-{number}", f"vcenter\u001fv-{number}"]
    # Exactly one import per source recorded its id on each CI; every other import found the
    # CI as it reports it.
    assert sum(p["updated"] for p in payloads) == SIZE
    assert sum(p["unchanged"] for p in payloads) == (CLIENTS - 2) * SIZE

    for source, prefix in (("vcenter", "v"), ("netdisco", "n")):
        again = await import_cis(gql, source, servers(prefix), chains(prefix))
        assert again["rowErrors"] == [] and again["unchanged"] == SIZE
