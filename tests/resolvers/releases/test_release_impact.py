"""A release's impact through GraphQL: the union of its changes' impact snapshots, worst state
per service with the changes that contribute, the CI count over the union of their closures;
the list of releases, filtered and paged, one round trip a page."""

from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.graph.releases.helpers import add_change
from tests.resolvers.helpers import create_ci
from tests.resolvers.releases.helpers import LIST, a_release, get_release


async def test_the_impact_of_a_release_is_the_union_of_its_changes_with_the_worst_state(
    gql: GraphQLClient, db: Database
) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE", criticality=1)
    blog = await create_ci(gql, "Blog", "BUSINESS_SERVICE", criticality=3)
    orders_db = await create_ci(gql, "orders-db", "DATABASE")
    vm = await create_ci(gql, "app-vm", "VIRTUAL_MACHINE")
    await add_change(
        db,
        "CHG0001001",
        (orders_db,),
        impacts=((shop, "DEGRADED", "one of 3 pool members"), (blog, "DOWN", "needs orders-db")),
        impacted_ci_ids=(orders_db, vm, shop, blog),
    )
    await add_change(
        db,
        "CHG0001002",
        (vm,),
        impacts=((shop, "DOWN", "runs on app-vm"),),
        impacted_ci_ids=(vm, shop),
    )
    release = await a_release(gql, "CHG0001001", "CHG0001002")

    found = await get_release(gql, release["number"])

    assert found is not None
    assert found["impactedServices"] == [
        {
            "service": {"id": shop, "name": "Online Shop"},
            "state": "DOWN",
            "reason": "runs on app-vm",
            "changes": [{"number": "CHG0001001"}, {"number": "CHG0001002"}],
        },
        {
            "service": {"id": blog, "name": "Blog"},
            "state": "DOWN",
            "reason": "needs orders-db",
            "changes": [{"number": "CHG0001001"}],
        },
    ]
    assert found["impactedCiCount"] == 4


async def test_releases_are_listed_newest_first_filtered_and_paged_in_one_round_trip(
    gql: GraphQLClient, db: Database
) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    for n in range(4):
        await add_change(db, f"CHG000100{n}", (ci,), impacts=((ci, "DOWN", "r"),))
        await a_release(gql, f"CHG000100{n}", type="MAJOR" if n % 2 else "MINOR")

    before = db.round_trips
    data = await gql(LIST, filter={"types": ["MAJOR"]}, first=1)
    assert db.round_trips - before == 2  # the page, and the CIs of every impacted service
    page = data["releases"]
    rest = await gql(
        LIST, filter={"types": ["MAJOR"]}, first=5, after=page["pageInfo"]["endCursor"]
    )
    everything = await gql(LIST, filter={"states": ["PLANNING"], "types": []})

    assert [e["node"]["number"] for e in page["edges"]] == ["REL0001004"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["number"] for e in rest["releases"]["edges"]] == ["REL0001002"]
    assert rest["releases"]["pageInfo"]["hasNextPage"] is False
    assert len(everything["releases"]["edges"]) == 4
