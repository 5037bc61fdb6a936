"""Releases of changes made through the change API: the deployment gate follows the CAB's
authorisation, and the release's impact is the union of the impact snapshots its changes took
when assessed (a database shared by two services, a pool member that only degrades)."""

from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import approve, move, open_change
from tests.resolvers.helpers import create_ci, relate
from tests.resolvers.releases.helpers import a_release, get_release
from tests.resolvers.releases.helpers import move as move_release
from tests.resolvers.releases.helpers import transition as transition_release


async def test_deploy_waits_for_the_cab_and_goes_once_the_change_is_scheduled(
    gql: GraphQLClient,
) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    change = await open_change(gql, [ci])
    await move(gql, change["number"], "ASSESS", "AUTHORIZE")
    release = await a_release(gql, change["number"])
    await move_release(gql, release["number"], "BUILD", "TEST")

    refused = await transition_release(gql, release["number"], "DEPLOY")
    approved = await approve(gql, change["number"], "fine")
    allowed = await transition_release(gql, release["number"], "DEPLOY")

    assert [e["code"] for e in refused["errors"]] == ["INVALID_TRANSITION"]
    assert f"{change['number']} (AUTHORIZE)" in refused["errors"][0]["message"]
    assert approved["change"]["state"] == "SCHEDULED"
    assert allowed["errors"] == [] and allowed["release"]["state"] == "DEPLOY"


async def test_a_release_impacts_the_union_of_its_assessed_changes_in_the_worst_state(
    gql: GraphQLClient,
) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE", criticality=1)
    reports = await create_ci(gql, "Reports", "BUSINESS_SERVICE", criticality=2)
    orders_db = await create_ci(gql, "orders-db", "DATABASE")
    web = [await create_ci(gql, f"web-{n}", "VIRTUAL_MACHINE") for n in range(3)]
    await relate(gql, shop, orders_db, "DEPENDS_ON")
    await relate(gql, reports, orders_db, "DEPENDS_ON")
    for vm in web:
        await relate(gql, shop, vm, "DEPENDS_ON", redundancyGroup="web", minOperational=2)
    on_pool = await open_change(gql, [web[0]], title="Patch web-0")
    on_db = await open_change(gql, [orders_db], title="Upgrade orders-db")
    pool_assessed = await move(gql, on_pool["number"], "ASSESS")
    db_assessed = await move(gql, on_db["number"], "ASSESS")
    release = await a_release(gql, on_pool["number"], on_db["number"])

    found = await get_release(gql, release["number"])

    assert found is not None
    services = {s["service"]["name"]: s for s in found["impactedServices"]}
    assert set(services) == {"Online Shop", "Reports"}
    assert services["Online Shop"]["state"] == "DOWN"
    assert services["Online Shop"]["changes"] == [
        {"number": on_pool["number"]},
        {"number": on_db["number"]},
    ]
    assert services["Reports"]["state"] == "DOWN"
    assert services["Reports"]["changes"] == [{"number": on_db["number"]}]
    assert [(s["service"]["name"], s["state"]) for s in pool_assessed["impactedServices"]] == [
        ("Online Shop", "DEGRADED")
    ]
    [db_on_shop] = [s for s in db_assessed["impactedServices"] if s["service"]["id"] == shop]
    assert services["Online Shop"]["reason"] == db_on_shop["reason"]
    assert found["impactedCiCount"] == 4  # web-0 and orders-db, the shop and the reports


async def test_a_change_names_the_release_that_bundles_it(gql: GraphQLClient, db: Database) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    bundled = [await open_change(gql, [ci], title=f"Step {n}") for n in range(3)]
    alone = await open_change(gql, [ci], title="Alone")
    release = await a_release(gql, *(c["number"] for c in bundled))

    db.round_trips = 0
    listed = await gql(
        "{ changes(first: 10, orderBy: {field: NUMBER}) "
        "{ edges { node { number release { number name } } } } }"
    )
    round_trips = db.round_trips

    found = {e["node"]["number"]: e["node"]["release"] for e in listed["changes"]["edges"]}
    for change in bundled:
        assert found[change["number"]] == {"number": release["number"], "name": release["name"]}
    assert found[alone["number"]] is None
    # The page, then the releases of all its changes at once.
    assert round_trips == 2
