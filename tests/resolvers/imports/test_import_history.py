"""The history of the relationships an import adds (docs/import.md, "What an import writes"):
one stored event per batch holding each relationship once, referenced by each CI at their ends
(the CI's event of the batch), listed as one entry per relationship, on both ends."""

from __future__ import annotations

import json

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.cis.test_update_history import HISTORY
from tests.resolvers.import_helpers import ci_named, edge, import_cis, row

CIS = [
    row("app", "checkout", "MICROSERVICE"),
    row("db", "orders-db", "DATABASE"),
    row("cache", "sessions", "CACHE"),
    row("mq", "events", "MESSAGE_QUEUE"),
]
EDGES = [
    edge("app", "db", "DEPENDS_ON", confidence=0.8),
    edge("app", "cache", "DEPENDS_ON"),
    edge("app", "mq", "DEPENDS_ON", redundancyGroup="bus"),
]
GROUPED = """
MATCH (c:CI {id: $id})-[h:HAS_EVENT]->(e:AuditEvent) WHERE e.entrySummaries IS NOT NULL
RETURN count(e) AS events, sum(size(h.entries)) AS entries
"""
STORED = """
MATCH (e:AuditEvent) WHERE e.entrySummaries IS NOT NULL
RETURN count(e) AS events, sum(size(e.entrySummaries)) AS entries,
       sum(size(e.entryChanges)) AS changes, sum(COUNT { (:CI)-[:HAS_EVENT]->(e) }) AS cis
"""


async def history(gql: GraphQLClient, ci_id: str, first: int = 10) -> list[dict[str, object]]:
    data = await gql(HISTORY, id=ci_id, first=first)
    return [edge_["node"] for edge_ in data["ci"]["history"]["edges"]]


async def test_each_added_relationship_is_an_entry_in_both_ends_history(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", CIS, EDGES)
    app = (await ci_named(db, "checkout"))["id"]
    orders = (await ci_named(db, "orders-db"))["id"]

    entries = await history(gql, app)

    added = sorted(str(e["summary"]) for e in entries if "added" in str(e["summary"]))
    assert added == [
        "DEPENDS_ON checkout -> events added by import from discovery",
        "DEPENDS_ON checkout -> orders-db added by import from discovery",
        "DEPENDS_ON checkout -> sessions added by import from discovery",
    ]
    assert all(e["operation"] == "importCIs" and e["actor"] == "test-user" for e in entries)
    [to_orders] = [e for e in entries if "orders-db added" in str(e["summary"])]
    assert to_orders["changes"] == [
        {"field": "confidence", "before": None, "after": json.dumps(0.8)},
        {"field": "source", "before": None, "after": json.dumps("discovery")},
    ]
    assert [e["summary"] for e in await history(gql, orders)] == [
        "DEPENDS_ON checkout -> orders-db added by import from discovery",
        "DATABASE orders-db created by import from discovery",
    ]


async def test_a_batch_stores_one_event_per_ci_for_its_relationships(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", CIS, EDGES)
    app = (await ci_named(db, "checkout"))["id"]

    [grouped] = await db.read_rows("t", GROUPED, id=app)

    assert grouped == {"events": 1, "entries": 3}


async def test_a_batch_stores_each_added_relationship_once_for_both_its_ends(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", CIS, EDGES)
    orders = (await ci_named(db, "orders-db"))["id"]

    [stored] = await db.read_rows("t", STORED)
    [grouped] = await db.read_rows("t", GROUPED, id=orders)

    assert stored == {"events": 1, "entries": 3, "changes": 3, "cis": 4}
    assert grouped == {"events": 1, "entries": 1}


async def test_the_history_pages_through_the_entries_of_one_event(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", CIS, EDGES)
    app = (await ci_named(db, "checkout"))["id"]
    everything = await history(gql, app)

    seen: list[object] = []
    after: str | None = None
    while True:
        page = (await gql(HISTORY, id=app, first=1, after=after))["ci"]["history"]
        seen += [edge_["node"]["summary"] for edge_ in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(everything) == 4
    assert seen == [e["summary"] for e in everything]
