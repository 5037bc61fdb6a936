from __future__ import annotations

from decimal import Decimal

from tests.conftest import GraphQLClient
from tests.resolvers.topology import build

HUB = {
    "shop": "BUSINESS_SERVICE",
    "hr": "BUSINESS_SERVICE",
    "web": "APPLICATION",
    "payroll": "APPLICATION",
    "vm1": "VIRTUAL_MACHINE",
    "vm2": "VIRTUAL_MACHINE",
    "vm3": "VIRTUAL_MACHINE",
    "vm-hr": "VIRTUAL_MACHINE",
    "core": "NETWORK_DEVICE",
}
HUB_EDGES: list[tuple[str, str, str] | tuple[str, str, str, str, int]] = [
    ("shop", "web", "PROVIDED_BY"),
    ("hr", "payroll", "PROVIDED_BY"),
    ("web", "vm1", "RUNS_ON", "web", 2),
    ("web", "vm2", "RUNS_ON", "web", 2),
    ("web", "vm3", "RUNS_ON", "web", 2),
    ("payroll", "vm-hr", "RUNS_ON"),
    ("vm1", "core", "CONNECTED_THROUGH"),
    ("vm2", "core", "CONNECTED_THROUGH"),
    ("vm3", "core", "CONNECTED_THROUGH"),
    ("vm-hr", "core", "CONNECTED_THROUGH"),
]

SPOF = "query($id: ID!) { singlePointsOfFailure(serviceId: $id) { name } }"


async def test_a_hub_is_a_single_point_of_failure_of_every_service_and_a_pool_member_not(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, HUB, HUB_EDGES)

    shop = (await gql(SPOF, id=ids["shop"]))["singlePointsOfFailure"]
    hr = (await gql(SPOF, id=ids["hr"]))["singlePointsOfFailure"]

    assert [c["name"] for c in shop] == ["web", "core"]
    assert [c["name"] for c in hr] == ["payroll", "vm-hr", "core"]
    assert (await gql(SPOF, id="nope"))["singlePointsOfFailure"] is None


async def test_simulated_outage_gives_every_service_its_state_and_causes(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, HUB, HUB_EDGES)
    query = """
    query($ids: [ID!]!, $all: Boolean! = true) {
      simulateOutage(ciIds: $ids, includeOperational: $all) {
      failed { name } unknownCiIds
      services { totalCount edges { node {
        service { name } state reason failedCauses { name } } } } } }"""

    pool_member = (await gql(query, ids=[ids["vm1"]]))["simulateOutage"]
    changed_only = (await gql(query, ids=[ids["vm1"]], all=False))["simulateOutage"]
    core = (await gql(query, ids=[ids["core"]]))["simulateOutage"]

    assert pool_member["services"]["totalCount"] == 2
    assert [e["node"] for e in pool_member["services"]["edges"]] == [
        {
            "service": {"name": "shop"},
            "state": "DEGRADED",
            "reason": "depends on web (DEGRADED)",
            "failedCauses": [{"name": "vm1"}],
        },
        {
            "service": {"name": "hr"},
            "state": "OPERATIONAL",
            "reason": "operational",
            "failedCauses": [],
        },
    ]
    assert changed_only["services"]["totalCount"] == 1
    assert [e["node"]["service"]["name"] for e in changed_only["services"]["edges"]] == ["shop"]
    core_services = [e["node"] for e in core["services"]["edges"]]
    assert [(s["service"]["name"], s["state"]) for s in core_services] == [
        ("hr", "DOWN"),
        ("shop", "DOWN"),
    ]
    assert all(s["failedCauses"] == [{"name": "core"}] for s in core_services)


async def test_dependencies_form_a_map_a_ui_can_draw(gql: GraphQLClient) -> None:
    ids = await build(gql, HUB, HUB_EDGES)
    query = """
    query($id: ID!, $depth: Int!) { dependencies(ciId: $id, maxDepth: $depth) {
      rootId truncated nodes { depth ci { name } } edges { from to type redundancyGroup } } }"""

    whole = (await gql(query, id=ids["shop"], depth=10))["dependencies"]
    shallow = (await gql(query, id=ids["shop"], depth=2))["dependencies"]

    assert whole["rootId"] == ids["shop"]
    assert {n["ci"]["name"]: n["depth"] for n in whole["nodes"]} == {
        "shop": 0,
        "web": 1,
        "vm1": 2,
        "vm2": 2,
        "vm3": 2,
        "core": 3,
    }
    assert len(whole["edges"]) == 7
    assert {
        "from": ids["web"],
        "to": ids["vm2"],
        "type": "RUNS_ON",
        "redundancyGroup": "web",
    } in whole["edges"]
    assert whole["truncated"] is False
    assert shallow["truncated"] is True
    assert {n["ci"]["name"] for n in shallow["nodes"]} == {"shop", "web", "vm1", "vm2", "vm3"}


async def test_paths_explain_why_one_ci_is_impacted_by_another(gql: GraphQLClient) -> None:
    ids = await build(gql, HUB, HUB_EDGES)
    query = """
    query($from: ID!, $to: ID!) { paths(fromId: $from, toId: $to) {
      length types cis { name } } }"""

    found = (await gql(query, **{"from": ids["shop"], "to": ids["core"]}))["paths"]
    none = (await gql(query, **{"from": ids["hr"], "to": ids["vm1"]}))["paths"]

    assert [[c["name"] for c in p["cis"]] for p in found] == [
        ["shop", "web", "vm1", "core"],
        ["shop", "web", "vm2", "core"],
        ["shop", "web", "vm3", "core"],
    ]
    assert found[0]["types"] == ["PROVIDED_BY", "RUNS_ON", "CONNECTED_THROUGH"]
    assert found[0]["length"] == 3
    assert none == []


async def test_root_cause_candidates_rank_shared_dependencies(gql: GraphQLClient) -> None:
    ids = await build(gql, HUB, HUB_EDGES)
    query = """
    query($ids: [ID!]!) { rootCauseCandidates(ciIds: $ids) {
      ci { name } count explains { name } } }"""

    found = (await gql(query, ids=[ids["web"], ids["payroll"]]))["rootCauseCandidates"]

    assert found[0]["ci"] == {"name": "core"}
    assert found[0]["count"] == 2
    assert sorted(c["name"] for c in found[0]["explains"]) == ["payroll", "web"]
    assert all(c["count"] >= 2 for c in found)


async def test_recovery_order_brings_dependencies_up_first_and_reports_cycles(
    gql: GraphQLClient,
) -> None:
    ids = await build(
        gql,
        {
            "svc": "TECHNICAL_SERVICE",
            "a": "MICROSERVICE",
            "b": "MICROSERVICE",
            "c": "MICROSERVICE",
            "db": "DATABASE",
        },
        [
            ("svc", "a", "PROVIDED_BY"),
            ("a", "b", "DEPENDS_ON"),
            ("b", "c", "DEPENDS_ON"),
            ("c", "b", "DEPENDS_ON"),
            ("c", "db", "DEPENDS_ON"),
        ],
    )
    query = """
    query($id: ID!) { recoveryOrder(serviceId: $id) {
      steps { cycle cis { name } } cycles { cis { name } } } }"""

    plan = (await gql(query, id=ids["svc"]))["recoveryOrder"]

    steps = [sorted(c["name"] for c in step["cis"]) for step in plan["steps"]]
    assert steps == [["db"], ["b", "c"], ["a"], ["svc"]]
    assert [step["cycle"] for step in plan["steps"]] == [False, True, False, False]
    assert [sorted(c["name"] for c in cycle["cis"]) for cycle in plan["cycles"]] == [["b", "c"]]


async def test_service_cost_splits_a_shared_ci_between_its_dependents(
    gql: GraphQLClient,
) -> None:
    ids = await build(
        gql,
        {"shop": "BUSINESS_SERVICE", "hr": "BUSINESS_SERVICE", "db": "DATABASE"},
        [("shop", "db", "DEPENDS_ON"), ("hr", "db", "DEPENDS_ON")],
    )
    for name, cost in (("shop", "100"), ("db", "300")):
        await gql(
            "mutation($i: UpdateCIInput!) { updateCI(input: $i) { errors { code } } }",
            i={"id": ids[name], "expectedVersion": 1, "monthlyCost": cost},
        )
    query = """
    query($id: ID!) { serviceCost(serviceId: $id) {
      total truncated items { ci { name } own share allocated } } }"""

    cost = (await gql(query, id=ids["shop"]))["serviceCost"]

    assert Decimal(cost["total"]) == Decimal("250")
    assert {i["ci"]["name"]: (Decimal(i["allocated"]), i["share"]) for i in cost["items"]} == {
        "db": (Decimal("150"), 0.5),
        "shop": (Decimal("100"), 1.0),
    }
