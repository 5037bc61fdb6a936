"""The impact questions on the demo CMDB (a fictional online retailer)."""

from __future__ import annotations

from graph import Database, HistoryRepository
from graph.imports import ImportRepository, load_demo
from tests.conftest import GraphQLClient
from tests.resolvers.topology import impact, services_of


async def demo_ids(db: Database) -> dict[str, str]:
    await load_demo(ImportRepository(db, HistoryRepository(db)), "pytest")
    rows = await db.read_rows(
        "t",
        "MATCH (c:CI) UNWIND c.externalIds AS key "
        "WITH c, split(key, '\u001f') AS parts WHERE parts[0] = 'demo' "
        "RETURN parts[1] AS external, c.id AS id",
    )
    return {row["external"]: row["id"] for row in rows}


async def test_a_change_to_the_shared_database_lists_both_services_that_use_it(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await demo_ids(db)

    report = await impact(gql, [ids["db-customers"]])

    services = {s["ci"]["name"] for s in services_of(report)}
    assert {"Online Shop", "Customer Support Portal"} <= services


async def test_the_network_core_is_a_single_point_of_failure_of_every_business_service(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await demo_ids(db)
    services = await db.read_rows(
        "t", "MATCH (s:BusinessService) WHERE s.status <> 'RETIRED' RETURN s.id AS id"
    )
    query = "query($id: ID!) { singlePointsOfFailure(serviceId: $id) { id } }"

    assert len(services) >= 3
    for service in services:
        found = (await gql(query, id=service["id"]))["singlePointsOfFailure"]
        found_ids = {c["id"] for c in found}
        assert ids["net-core-01"] in found_ids, service
        assert ids["vm-web-01"] not in found_ids


async def test_one_web_server_down_leaves_the_storefront_degraded_not_down(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await demo_ids(db)

    report = await impact(gql, [ids["vm-web-01"]])

    storefront = next(
        e["node"]
        for e in report["impacted"]["edges"]
        if e["node"]["ci"]["name"] == "Storefront Web Front-End"
    )
    assert storefront["state"] == "DEGRADED"
    assert storefront["reason"].startswith("pool web-pool: 1 of 3 members affected, 2 needed")
