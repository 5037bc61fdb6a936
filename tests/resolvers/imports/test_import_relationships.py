"""`importCIs`: relationship rows, through the GraphQL endpoint."""

from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate
from tests.resolvers.import_helpers import ci_named, edge, edge_counts, import_cis, row

SHOP = [
    row("shop", "Online Shop", "BUSINESS_SERVICE"),
    row("web", "storefront", "APPLICATION"),
    row("vm-1", "vm-1", "VIRTUAL_MACHINE"),
    row("vm-2", "vm-2", "VIRTUAL_MACHINE"),
]


async def edges(db: Database) -> list[dict[str, object]]:
    return await db.read_rows(
        "t",
        "MATCH (a:CI)-[r]->(b:CI) RETURN a.name AS from, type(r) AS type, b.name AS to, "
        "r.source AS source, r.redundancyGroup AS group, r.confidence AS confidence "
        "ORDER BY from, to",
    )


async def test_relationship_ends_may_be_ids_in_the_graph_or_the_sources_ids(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", [row("vm-1", "vm-1", "VIRTUAL_MACHINE")])
    host = await create_ci(gql, "esx-1", "SERVER")

    payload = await import_cis(
        gql,
        "discovery",
        [row("web", "storefront", "APPLICATION")],
        [edge("web", "vm-1", "RUNS_ON"), edge("vm-1", host, "HOSTED_ON")],
    )

    assert payload["rowErrors"] == []
    assert edge_counts(payload) == (2, 0, 0, 0)
    assert [(e["from"], e["type"], e["to"]) for e in await edges(db)] == [
        ("storefront", "RUNS_ON", "vm-1"),
        ("vm-1", "HOSTED_ON", "esx-1"),
    ]


async def test_reimporting_a_relationship_confirms_it_instead_of_adding_one(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", SHOP, [edge("web", "vm-1", "RUNS_ON")])
    query = "MATCH ()-[r:RUNS_ON]->() RETURN r.lastConfirmedAt AS confirmed, r.createdAt AS created"
    [before] = await db.read_rows("t", query)

    payload = await import_cis(gql, "discovery", SHOP, [edge("web", "vm-1", "RUNS_ON")])

    assert edge_counts(payload) == (0, 0, 1, 0)
    [after] = await db.read_rows("t", query)
    assert after["created"] == before["created"]
    assert after["confirmed"] > before["confirmed"]


async def test_an_edge_made_through_the_api_is_confirmed_by_an_import(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    database = await create_ci(gql, "orders-db", "DATABASE")
    await relate(gql, app, database, "DEPENDS_ON")

    payload = await import_cis(gql, "discovery", [], [edge(app, database, "DEPENDS_ON")])

    assert edge_counts(payload) == (0, 0, 1, 0)
    assert len(await edges(db)) == 1


async def test_a_changed_confidence_or_group_updates_the_edge(
    gql: GraphQLClient, db: Database
) -> None:
    await import_cis(gql, "discovery", SHOP, [edge("web", "vm-1", "RUNS_ON", confidence=0.5)])

    payload = await import_cis(
        gql,
        "discovery",
        [],
        [edge("web", "vm-1", "RUNS_ON", confidence=0.9, redundancyGroup="web")],
    )

    assert edge_counts(payload) == (0, 1, 0, 0)
    [stored] = await edges(db)
    assert (stored["confidence"], stored["group"]) == (0.9, "web")


async def test_relationship_rows_are_checked_against_the_class_rules(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [*SHOP, row("dc", "DC1", "LOCATION")],
        [
            edge("web", "vm-1", "RUNS_ON"),
            edge("dc", "vm-1", "RUNS_ON"),
            edge("vm-1", "vm-1", "HOSTED_ON"),
            edge("web", "nowhere", "RUNS_ON"),
            edge("web", "vm-1", "RUNS_ON"),
        ],
    )

    assert payload["refused"] is True
    errors = [(e["section"], e["index"], e["field"], e["code"]) for e in payload["rowErrors"]]
    assert errors == [
        ("RELATIONSHIPS", 1, "type", "INVALID_VALUE"),
        ("RELATIONSHIPS", 2, "to", "INVALID_VALUE"),
        ("RELATIONSHIPS", 3, "to", "NOT_FOUND"),
        ("RELATIONSHIPS", 4, "to", "CONFLICT"),
    ]
    messages = [e["message"] for e in payload["rowErrors"]]
    assert "LOCATION cannot be the source of RUNS_ON" in messages[0]
    assert "cannot depend on itself" in messages[1]
    assert "no CI is named 'nowhere'" in messages[2]
    assert "relationships[0]" in messages[3]
    assert edge_counts(payload) == (0, 0, 0, 4)
    assert payload["created"] == 0
    assert await edges(db) == []


async def test_a_relationship_to_a_skipped_row_is_skipped_too(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql,
        "discovery",
        [row("web", "storefront", "APPLICATION"), row("vm-1", "vm-1", "VIRTUAL_MASHEEN")],
        [edge("web", "vm-1", "RUNS_ON")],
        skip_invalid=True,
    )

    assert (payload["created"], payload["failed"]) == (1, 1)
    assert edge_counts(payload) == (0, 0, 0, 1)
    relationship_error = payload["rowErrors"][1]
    assert relationship_error["section"] == "RELATIONSHIPS"
    assert "'vm-1' is cis[1] of this import, which was refused" in relationship_error["message"]
    assert await edges(db) == []


async def test_a_pool_and_its_minimum_are_imported(gql: GraphQLClient, db: Database) -> None:
    web = row(
        "web", "storefront", "APPLICATION", minOperational=[{"group": "vms", "minOperational": 1}]
    )

    payload = await import_cis(
        gql,
        "discovery",
        [web, *SHOP[2:]],
        [
            edge("web", "vm-1", "RUNS_ON", redundancyGroup="vms"),
            edge("web", "vm-2", "RUNS_ON", redundancyGroup="vms"),
        ],
    )

    assert edge_counts(payload) == (2, 0, 0, 0)
    assert (await ci_named(db, "storefront"))["minOperational.vms"] == 1
    assert {stored["group"] for stored in await edges(db)} == {"vms"}
