from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.conftest import GraphQLClient
from tests.resolvers.topology import IMPACT, build, impact, impacted_by_name, services_of


async def test_chain_of_fifty_honours_and_reports_the_depth_limit(gql: GraphQLClient) -> None:
    names = [f"svc-{i:02d}" for i in range(50)]
    ids = await build(
        gql,
        dict.fromkeys(names, "MICROSERVICE"),
        [(names[i], names[i + 1], "DEPENDS_ON") for i in range(49)],
    )

    limited = await impact(gql, [ids["svc-49"]], depth=10)
    whole = await impact(gql, [ids["svc-49"]], depth=50)

    assert limited["count"] == 10
    assert limited["truncated"] is True
    assert [e["node"]["depth"] for e in limited["impacted"]["edges"]] == list(range(1, 11))
    assert limited["impacted"]["edges"][-1]["node"]["ci"]["name"] == "svc-39"
    assert whole["count"] == 49
    assert whole["truncated"] is False
    deepest = whole["impacted"]["edges"][-1]["node"]
    assert deepest["ci"]["name"] == "svc-00"
    assert [c["name"] for c in deepest["path"]] == list(reversed(names))


async def test_depth_above_fifty_is_refused(gql: GraphQLClient) -> None:
    ids = await build(gql, {"a": "MICROSERVICE"}, [])

    body = await gql.raw(IMPACT, ids=[ids["a"]], depth=51)

    assert body["data"] is None
    assert body["errors"][0]["message"] == "maxDepth must be between 1 and 50, got 51"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_diamond_lists_each_ci_once_at_its_shortest_depth(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {
            "top": "APPLICATION",
            "left": "MICROSERVICE",
            "right": "MICROSERVICE",
            "db": "DATABASE",
            "far": "APPLICATION",
        },
        [
            ("top", "left", "DEPENDS_ON"),
            ("top", "right", "DEPENDS_ON"),
            ("left", "db", "DEPENDS_ON"),
            ("right", "db", "DEPENDS_ON"),
            ("far", "top", "DEPENDS_ON"),
            ("far", "db", "DEPENDS_ON"),
        ],
    )

    report = await impact(gql, [ids["db"]])

    found = impacted_by_name(report)
    assert report["count"] == 4
    assert {name: row["depth"] for name, row in found.items()} == {
        "left": 1,
        "right": 1,
        "far": 1,
        "top": 2,
    }
    assert all(row["state"] == "DOWN" for row in found.values())
    assert [c["name"] for c in found["top"]["path"]] == ["db", "left", "top"]
    assert found["left"]["reason"] == "depends on db (DOWN)"


async def test_a_cycle_terminates_and_every_member_is_impacted_once(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {"x": "MICROSERVICE", "y": "MICROSERVICE", "z": "MICROSERVICE", "app": "APPLICATION"},
        [
            ("x", "y", "DEPENDS_ON"),
            ("y", "z", "DEPENDS_ON"),
            ("z", "x", "DEPENDS_ON"),
            ("app", "x", "DEPENDS_ON"),
        ],
    )

    report = await impact(gql, [ids["z"]])

    assert {n: r["depth"] for n, r in impacted_by_name(report).items()} == {
        "y": 1,
        "x": 2,
        "app": 3,
    }
    assert report["truncated"] is False


async def test_pool_of_three_needing_two_degrades_then_goes_down(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {
            "shop": "BUSINESS_SERVICE",
            "web": "APPLICATION",
            "vm1": "VIRTUAL_MACHINE",
            "vm2": "VIRTUAL_MACHINE",
            "vm3": "VIRTUAL_MACHINE",
        },
        [
            ("shop", "web", "PROVIDED_BY"),
            ("web", "vm1", "RUNS_ON", "web", 2),
            ("web", "vm2", "RUNS_ON", "web", 2),
            ("web", "vm3", "RUNS_ON", "web", 2),
        ],
    )

    one = impacted_by_name(await impact(gql, [ids["vm1"]]))
    two = impacted_by_name(await impact(gql, [ids["vm1"], ids["vm2"]]))

    assert one["web"]["state"] == "DEGRADED"
    assert one["web"]["reason"] == "pool web: 1 of 3 members affected, 2 needed, 2 remain"
    assert one["shop"]["state"] == "DEGRADED"
    assert two["web"]["state"] == "DOWN"
    assert two["web"]["reason"] == "pool web: 2 of 3 members affected, 2 needed, 1 remain"
    assert {c["name"] for c in two["web"]["causes"]} == {"vm1", "vm2"}
    assert two["shop"]["state"] == "DOWN"


async def test_services_are_listed_apart_most_critical_first(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {
            "db": "DATABASE",
            "shop": "BUSINESS_SERVICE",
            "hr": "BUSINESS_SERVICE",
            "api": "TECHNICAL_SERVICE",
        },
        [("shop", "api", "PROVIDED_BY"), ("api", "db", "DEPENDS_ON"), ("hr", "db", "DEPENDS_ON")],
    )
    await gql(
        "mutation($a: UpdateCIInput!, $b: UpdateCIInput!) {"
        " a: updateCI(input: $a) { errors { code } } b: updateCI(input: $b) { errors { code } } }",
        a={"id": ids["shop"], "expectedVersion": 1, "criticality": 1},
        b={"id": ids["hr"], "expectedVersion": 1, "criticality": 3},
    )

    report = await impact(gql, [ids["db"]])

    assert [s["ci"]["name"] for s in services_of(report)] == ["shop", "hr", "api"]
    assert report["services"]["totalCount"] == 3


async def test_a_retired_ci_is_left_out_unless_asked_for(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {"db": "DATABASE", "old": "APPLICATION", "beyond": "APPLICATION", "live": "APPLICATION"},
        [
            ("old", "db", "DEPENDS_ON"),
            ("beyond", "old", "DEPENDS_ON"),
            ("live", "db", "DEPENDS_ON"),
        ],
    )
    await gql(
        "mutation($i: RetireCIInput!) { retireCI(input: $i) { errors { code } } }",
        i={"id": ids["old"]},
    )

    default = await impact(gql, [ids["db"]])
    with_retired = await impact(gql, [ids["db"]], retired=True)

    assert set(impacted_by_name(default)) == {"live"}
    assert set(impacted_by_name(with_retired)) == {"live", "old", "beyond"}


async def test_relation_types_limit_the_traversal(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {"vm": "VIRTUAL_MACHINE", "db": "DATABASE", "app": "APPLICATION"},
        [("db", "vm", "RUNS_ON"), ("app", "db", "DEPENDS_ON")],
    )

    only_runs_on = await impact(gql, [ids["vm"]], types=["RUNS_ON"])

    assert set(impacted_by_name(only_runs_on)) == {"db"}


async def test_an_edge_removed_after_t_is_present_as_of_before_t_and_absent_after(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, {"db": "DATABASE", "app": "APPLICATION"}, [("app", "db", "DEPENDS_ON")])
    await asyncio.sleep(0.01)
    before_removal = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.01)
    await gql(
        "mutation($i: UnrelateCIsInput!) { unrelateCIs(input: $i) { errors { code } } }",
        i={"from": ids["app"], "to": ids["db"], "type": "DEPENDS_ON"},
    )
    await asyncio.sleep(0.01)
    after_removal = datetime.now(UTC).isoformat()

    past = await impact(gql, [ids["db"]], asOf=before_removal)
    later = await impact(gql, [ids["db"]], asOf=after_removal)
    now = await impact(gql, [ids["db"]])

    assert set(impacted_by_name(past)) == {"app"}
    assert later["count"] == 0
    assert now["count"] == 0


async def test_unknown_ids_are_reported_not_fatal(gql: GraphQLClient) -> None:
    ids = await build(gql, {"db": "DATABASE"}, [])

    report = await impact(gql, [ids["db"], "no-such-ci"])

    assert report["unknownCiIds"] == ["no-such-ci"]
    assert report["changed"] == [{"name": "db"}]
    assert report["count"] == 0


async def test_impacted_pages_with_cursors(gql: GraphQLClient) -> None:
    names = [f"app-{i}" for i in range(7)]
    ids = await build(
        gql,
        {"db": "DATABASE", **dict.fromkeys(names, "APPLICATION")},
        [(name, "db", "DEPENDS_ON") for name in names],
    )
    query = """
    query($ids: [ID!]!, $after: String) {
      impact(ciIds: $ids) { impacted(first: 3, after: $after) {
        totalCount edges { node { ci { name } } } pageInfo { hasNextPage endCursor } } }
    }"""

    seen: list[str] = []
    after = None
    while True:
        page = (await gql(query, ids=[ids["db"]], after=after))["impact"]["impacted"]
        seen += [e["node"]["ci"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == names
