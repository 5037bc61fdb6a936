from __future__ import annotations

from graph import Database, HistoryRepository
from graph.imports import ImportRepository, load_demo
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

NEIGHBOURS = """
query($id: ID!, $first: Int, $after: String, $types: [RelationType!]) {
  ci(id: $id) {
    dependsOn(first: $first, after: $after, types: $types) {
      totalCount
      edges { cursor node { type source confidence redundancyGroup lastConfirmedAt
                            from { name } to { name class } } }
      pageInfo { hasNextPage endCursor }
    }
    dependents { totalCount edges { node { type from { name } to { name } } } }
  }
}
"""

PAGE_WITH_NEIGHBOURS = """
query($first: Int) {
  cis(first: $first) {
    edges { node {
      name
      dependsOn(first: 5) { totalCount edges { node { type to { name } } } }
      dependents(first: 5) { totalCount edges { node { type from { name } } } }
    } }
  }
}
"""


async def test_depends_on_and_dependents_list_direct_current_edges(gql: GraphQLClient) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    orders = await create_ci(gql, "orders-db", "DATABASE")
    cache = await create_ci(gql, "cart-cache", "CACHE")
    pod = await create_ci(gql, "pod-1", "CONTAINER")
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")
    await relate(gql, app, orders, "DEPENDS_ON", source="discovery", confidence=0.9)
    await relate(gql, app, cache, "DEPENDS_ON")
    await relate(gql, app, pod, "RUNS_ON", redundancyGroup="pods")
    await relate(gql, shop, app, "PROVIDED_BY")
    old = await create_ci(gql, "old-db", "DATABASE")
    await relate(gql, app, old, "DEPENDS_ON")
    await gql(
        "mutation($i: UnrelateCIsInput!) { unrelateCIs(input: $i) { errors { code } } }",
        i={"from": app, "to": old, "type": "DEPENDS_ON"},
    )

    data = await gql(NEIGHBOURS, id=app)

    depends_on = data["ci"]["dependsOn"]
    assert depends_on["totalCount"] == 3
    rows = [(e["node"]["type"], e["node"]["to"]["name"]) for e in depends_on["edges"]]
    assert rows == [
        ("DEPENDS_ON", "cart-cache"),
        ("DEPENDS_ON", "orders-db"),
        ("RUNS_ON", "pod-1"),
    ]
    orders_edge = depends_on["edges"][1]["node"]
    assert (orders_edge["source"], orders_edge["confidence"]) == ("discovery", 0.9)
    assert orders_edge["from"] == {"name": "checkout"}
    assert depends_on["edges"][2]["node"]["redundancyGroup"] == "pods"
    assert data["ci"]["dependents"] == {
        "totalCount": 1,
        "edges": [
            {
                "node": {
                    "type": "PROVIDED_BY",
                    "from": {"name": "Online Shop"},
                    "to": {"name": "checkout"},
                }
            }
        ],
    }


async def test_neighbours_page_with_cursors_and_filter_by_type(gql: GraphQLClient) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    for i in range(5):
        target = await create_ci(gql, f"db-{i}", "DATABASE")
        await relate(gql, app, target, "DEPENDS_ON")
    pod = await create_ci(gql, "pod-1", "CONTAINER")
    await relate(gql, app, pod, "RUNS_ON")

    names: list[str] = []
    after = None
    while True:
        page = (await gql(NEIGHBOURS, id=app, first=2, after=after))["ci"]["dependsOn"]
        names += [e["node"]["to"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    runs_on = (await gql(NEIGHBOURS, id=app, types=["RUNS_ON"]))["ci"]["dependsOn"]

    assert names == ["db-0", "db-1", "db-2", "db-3", "db-4", "pod-1"]
    assert [e["node"]["to"]["name"] for e in runs_on["edges"]] == ["pod-1"]
    assert runs_on["totalCount"] == 1


async def test_a_page_of_cis_with_neighbours_costs_the_same_round_trips_at_any_size(
    gql: GraphQLClient, db: Database
) -> None:
    await load_demo(ImportRepository(db, HistoryRepository(db)), "pytest")

    costs = {}
    for size in (10, 100):
        before = db.round_trips
        data = await gql(PAGE_WITH_NEIGHBOURS, first=size)
        costs[size] = db.round_trips - before
        assert len(data["cis"]["edges"]) == min(size, 76)

    # One for the page of CIs, one per direction for every CI's neighbours together.
    assert costs == {10: 3, 100: 3}
    with_edges = [e for e in data["cis"]["edges"] if e["node"]["dependsOn"]["totalCount"]]
    assert len(with_edges) > 50


LEAN_PAGE = """
query($first: Int) {
  cis(first: $first) {
    edges { node {
      name
      dependsOn(first: 5) { edges { node { type to { name } } } }
      dependents(first: 5) { edges { node { type from { name } } } }
    } }
  }
}
"""


async def test_a_page_of_neighbours_without_totals_or_edge_details_answers_the_same_edges(
    gql: GraphQLClient, db: Database
) -> None:
    await load_demo(ImportRepository(db, HistoryRepository(db)), "pytest")
    full = await gql(PAGE_WITH_NEIGHBOURS, first=100)

    before = db.round_trips
    lean = await gql(LEAN_PAGE, first=100)

    assert db.round_trips - before == 3
    for lean_ci, full_ci in zip(lean["cis"]["edges"], full["cis"]["edges"], strict=True):
        for direction in ("dependsOn", "dependents"):
            assert lean_ci["node"][direction]["edges"] == full_ci["node"][direction]["edges"]


async def test_a_total_asked_in_one_alias_only_is_counted_for_that_alias(
    gql: GraphQLClient,
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    for name in ("orders-db", "users-db"):
        target = await create_ci(gql, name, "DATABASE")
        await relate(gql, app, target, "DEPENDS_ON", source="discovery")

    data = await gql(
        """query($id: ID!) { ci(id: $id) {
          lean: dependsOn(first: 1) { edges { node { type to { name } } } }
          counted: dependsOn(first: 1) { totalCount edges { node { source to { name } } } }
        } }""",
        id=app,
    )

    assert data["ci"]["lean"]["edges"] == [
        {"node": {"type": "DEPENDS_ON", "to": {"name": "orders-db"}}}
    ]
    assert data["ci"]["counted"] == {
        "totalCount": 2,
        "edges": [{"node": {"source": "discovery", "to": {"name": "orders-db"}}}],
    }


SUMMARY_AND_WHOLE = """
query($id: ID!) {
  ci(id: $id) {
    summary: dependsOn { edges { node {
      type source confidence redundancyGroup createdAt lastConfirmedAt validFrom validTo
      to { id name class classGroup __typename } from { name owner }
    } } }
    whole: dependsOn { edges { node { to { ...Details } } } }
    dependents { edges { node { from { ... on Node { id } ... on BusinessService { owner } } } } }
  }
}
fragment Details on ConfigurationItem {
  name owner criticality monthlyCost createdAt version
  externalIds { source id } attributes { key value }
}
"""


async def test_a_neighbour_read_as_summary_still_answers_the_edge_and_its_summary_fields(
    gql: GraphQLClient,
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE", owner="shop team")
    orders = await create_ci(
        gql,
        "orders-db",
        "DATABASE",
        owner="dba",
        criticality=1,
        monthlyCost="120.50",
        externalIds=[{"source": "vcenter", "id": "vm-42"}],
        attributes=[{"key": "engine", "value": "postgres"}],
    )
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE", owner="retail")
    related = await relate(
        gql, app, orders, "DEPENDS_ON", source="discovery", confidence=0.9, redundancyGroup="db"
    )
    await relate(gql, shop, app, "PROVIDED_BY")

    data = (await gql(SUMMARY_AND_WHOLE, id=app))["ci"]

    [summary] = data["summary"]["edges"]
    stored = related["relationship"]
    assert summary["node"] == {
        **{key: stored[key] for key in ("type", "source", "confidence", "redundancyGroup")},
        **{key: stored[key] for key in ("createdAt", "lastConfirmedAt", "validFrom", "validTo")},
        "to": {
            "id": orders,
            "name": "orders-db",
            "class": "DATABASE",
            "classGroup": "APPLICATION",
            "__typename": "Database",
        },
        "from": {"name": "checkout", "owner": "shop team"},
    }
    [whole] = data["whole"]["edges"]
    to = whole["node"]["to"]
    assert (to["name"], to["owner"], to["criticality"], to["monthlyCost"], to["version"]) == (
        "orders-db",
        "dba",
        1,
        "120.50",
        1,
    )
    assert to["externalIds"] == [{"source": "vcenter", "id": "vm-42"}]
    assert to["attributes"] == [{"key": "engine", "value": "postgres"}]
    assert to["createdAt"]
    # A field selected through a type condition needs the whole CI too.
    assert data["dependents"]["edges"] == [{"node": {"from": {"id": shop, "owner": "retail"}}}]


async def test_summary_and_whole_neighbour_pages_of_one_direction_share_a_round_trip(
    gql: GraphQLClient, db: Database
) -> None:
    app = await create_ci(gql, "checkout", "MICROSERVICE")
    orders = await create_ci(gql, "orders-db", "DATABASE", owner="dba")
    await relate(gql, app, orders, "DEPENDS_ON")

    before = db.round_trips
    data = await gql(
        """query {
          cis(first: 10) { edges { node {
            lean: dependsOn { edges { node { to { name } } } }
            full: dependsOn { edges { node { to { owner } } } }
          } } }
        }"""
    )

    # The page of CIs, then one query for both aliases of dependsOn.
    assert db.round_trips - before == 2
    checkout = next(e["node"] for e in data["cis"]["edges"] if e["node"]["lean"]["edges"])
    assert checkout["lean"]["edges"] == [{"node": {"to": {"name": "orders-db"}}}]
    assert checkout["full"]["edges"] == [{"node": {"to": {"owner": "dba"}}}]
