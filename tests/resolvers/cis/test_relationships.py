from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

UNRELATE = """
mutation($input: UnrelateCIsInput!) {
  unrelateCIs(input: $input) {
    relationship { type validTo }
    errors { field code message }
  }
}
"""


async def edges(db: Database) -> list[dict[str, object]]:
    return await db.read_rows(
        "t",
        "MATCH (a:CI)-[r]->(b:CI) RETURN a.name AS source, type(r) AS type, b.name AS target, "
        "r.validTo IS NULL AS current ORDER BY source, target, r.validFrom",
    )


async def test_relate_creates_an_edge_with_its_provenance(gql: GraphQLClient) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    db_ci = await create_ci(gql, "orders-db", "DATABASE")

    payload = await relate(gql, app, db_ci, "DEPENDS_ON", source="discovery", confidence=0.8)

    assert payload["errors"] == []
    assert payload["created"] is True
    edge = payload["relationship"]
    assert (edge["type"], edge["source"], edge["confidence"]) == ("DEPENDS_ON", "discovery", 0.8)
    assert edge["from"] == {"id": app, "name": "checkout"}
    assert edge["to"] == {"id": db_ci, "name": "orders-db"}
    assert edge["validTo"] is None
    assert edge["createdAt"] == edge["lastConfirmedAt"] == edge["validFrom"]


async def test_reporting_an_edge_again_confirms_it_instead_of_adding_one(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    db_ci = await create_ci(gql, "orders-db", "DATABASE")
    first = await relate(gql, app, db_ci, "DEPENDS_ON", source="discovery")

    again = await relate(gql, app, db_ci, "DEPENDS_ON", source="discovery")

    assert again["errors"] == []
    assert again["created"] is False
    assert again["relationship"]["createdAt"] == first["relationship"]["createdAt"]
    assert again["relationship"]["lastConfirmedAt"] > first["relationship"]["lastConfirmedAt"]
    assert await edges(db) == [
        {"source": "checkout", "type": "DEPENDS_ON", "target": "orders-db", "current": True}
    ]


async def test_self_loops_are_refused(gql: GraphQLClient, db: Database) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")

    payload = await relate(gql, app, app, "DEPENDS_ON")

    assert payload["relationship"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("to", "INVALID_VALUE")]
    assert await edges(db) == []


async def test_nonsense_class_pairs_are_refused_with_the_rule(
    gql: GraphQLClient, db: Database
) -> None:
    site = await create_ci(gql, "DC1", "LOCATION")
    server = await create_ci(gql, "srv-1", "SERVER")
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")

    location_runs_on = await relate(gql, site, server, "RUNS_ON")
    hosted_on_service = await relate(gql, server, shop, "HOSTED_ON")

    assert location_runs_on["errors"][0]["code"] == "INVALID_VALUE"
    assert "LOCATION cannot be the source of RUNS_ON" in location_runs_on["errors"][0]["message"]
    assert hosted_on_service["errors"][0]["field"] == "type"
    assert "cannot be HOSTED_ON a BUSINESS_SERVICE" in hosted_on_service["errors"][0]["message"]
    assert await edges(db) == []


async def test_unknown_ends_are_named(gql: GraphQLClient, db: Database) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")

    payload = await relate(gql, app, "missing-id", "DEPENDS_ON")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("to", "NOT_FOUND")]
    assert await edges(db) == []


async def test_confidence_outside_zero_to_one_is_refused(gql: GraphQLClient) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    db_ci = await create_ci(gql, "orders-db", "DATABASE")

    payload = await relate(gql, app, db_ci, "DEPENDS_ON", confidence=1.5)

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("confidence", "OUT_OF_RANGE")]


async def test_pool_edges_carry_their_group_and_the_dependent_its_minimum(
    gql: GraphQLClient,
) -> None:
    web = await create_ci(gql, "storefront", "APPLICATION")
    members = [await create_ci(gql, f"web-{i}", "VIRTUAL_MACHINE") for i in range(3)]

    for member in members:
        payload = await relate(
            gql, web, member, "RUNS_ON", redundancyGroup="web-pool", minOperational=2
        )
        assert payload["errors"] == []
        assert payload["relationship"]["redundancyGroup"] == "web-pool"

    data = await gql(
        "query($id: ID!) { ci(id: $id) { minOperational { group minOperational } } }", id=web
    )
    assert data["ci"]["minOperational"] == [{"group": "web-pool", "minOperational": 2}]


async def test_min_operational_needs_a_group(gql: GraphQLClient) -> None:
    web = await create_ci(gql, "storefront", "APPLICATION")
    vm = await create_ci(gql, "web-1", "VIRTUAL_MACHINE")

    payload = await relate(gql, web, vm, "RUNS_ON", minOperational=2)

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("minOperational", "REQUIRED")]


async def test_unrelate_closes_the_interval_and_keeps_the_edge(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    db_ci = await create_ci(gql, "orders-db", "DATABASE")
    await relate(gql, app, db_ci, "DEPENDS_ON")

    data = await gql(UNRELATE, input={"from": app, "to": db_ci, "type": "DEPENDS_ON"})

    assert data["unrelateCIs"]["errors"] == []
    assert data["unrelateCIs"]["relationship"]["validTo"] is not None
    assert await edges(db) == [
        {"source": "checkout", "type": "DEPENDS_ON", "target": "orders-db", "current": False}
    ]

    again = await relate(gql, app, db_ci, "DEPENDS_ON")
    assert again["created"] is True
    assert [e["current"] for e in await edges(db)] == [False, True]


async def test_unrelating_a_missing_edge_is_not_found(gql: GraphQLClient) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    db_ci = await create_ci(gql, "orders-db", "DATABASE")

    data = await gql(UNRELATE, input={"from": app, "to": db_ci, "type": "RUNS_ON"})

    assert [(e["field"], e["code"]) for e in data["unrelateCIs"]["errors"]] == [("to", "NOT_FOUND")]
