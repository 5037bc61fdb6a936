"""`continuityPlan`: the recovery order scheduled with restore times, against the RTO."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

PLAN = """
query($id: ID!) { continuityPlan(serviceId: $id) {
  achievableMinutes rto met
  steps { cis { name } restoreMinutes startMinute finishMinute wave cycle }
  parallelSteps { cis { name } }
  criticalPath { cis { name } }
  breakingChain { cis { name } finishMinute }
  withoutRestoreTime { name }
} }
"""

SET_LEVEL = """
mutation($input: SetServiceLevelInput!) { setServiceLevel(input: $input) { errors { message } } }
"""

# Two branches under the shop: web on vm-web (10 + 30 minutes) and search on vm-search
# (15 + 20), both behind the core switch that has no restore time.
CIS = {
    "shop": ("BUSINESS_SERVICE", "5"),
    "web": ("APPLICATION", "10"),
    "search": ("APPLICATION", "15"),
    "vm-web": ("VIRTUAL_MACHINE", "30"),
    "vm-search": ("VIRTUAL_MACHINE", "20"),
    "core": ("NETWORK_DEVICE", None),
}
EDGES = [
    ("shop", "web", "PROVIDED_BY"),
    ("shop", "search", "PROVIDED_BY"),
    ("web", "vm-web", "RUNS_ON"),
    ("search", "vm-search", "RUNS_ON"),
    ("vm-web", "core", "CONNECTED_THROUGH"),
    ("vm-search", "core", "CONNECTED_THROUGH"),
]


async def _two_branches(gql: GraphQLClient) -> dict[str, str]:
    ids = {}
    for name, (ci_class, minutes) in CIS.items():
        attributes = [] if minutes is None else [{"key": "restoreMinutes", "value": minutes}]
        ids[name] = await create_ci(gql, name, ci_class, attributes=attributes)
    for dependent, dependency, kind in EDGES:
        assert (await relate(gql, ids[dependent], ids[dependency], kind))["errors"] == []
    return ids


async def _plan(gql: GraphQLClient, service_id: str) -> dict[str, Any]:
    plan: dict[str, Any] = (await gql(PLAN, id=service_id))["continuityPlan"]
    return plan


def _names(steps: list[dict[str, Any]]) -> list[str]:
    return [ci["name"] for step in steps for ci in step["cis"]]


async def test_two_parallel_branches_take_as_long_as_the_longer_branch(
    gql: GraphQLClient,
) -> None:
    ids = await _two_branches(gql)

    plan = await _plan(gql, ids["shop"])

    assert plan["steps"] == [
        {
            "cis": [{"name": n}],
            "restoreMinutes": r,
            "startMinute": s,
            "finishMinute": f,
            "wave": w,
            "cycle": False,
        }
        for n, r, s, f, w in [
            ("core", 0, 0, 0, 1),
            ("vm-search", 20, 0, 20, 2),
            ("search", 15, 20, 35, 3),
            ("vm-web", 30, 0, 30, 2),
            ("web", 10, 30, 40, 3),
            ("shop", 5, 40, 45, 4),
        ]
    ]
    assert [_names(wave) for wave in plan["parallelSteps"]] == [
        ["core"],
        ["vm-search", "vm-web"],
        ["search", "web"],
        ["shop"],
    ]
    assert plan["achievableMinutes"] == 45
    assert _names(plan["criticalPath"]) == ["core", "vm-web", "web", "shop"]
    assert plan["withoutRestoreTime"] == [{"name": "core"}]
    assert (plan["rto"], plan["met"], plan["breakingChain"]) == (None, None, [])


async def test_an_rto_shorter_than_the_critical_path_is_broken_by_that_chain(
    gql: GraphQLClient,
) -> None:
    ids = await _two_branches(gql)
    await gql(SET_LEVEL, input={"serviceId": ids["shop"], "rto": 2400})

    broken = await _plan(gql, ids["shop"])
    await gql(SET_LEVEL, input={"serviceId": ids["shop"], "rto": 2700})
    met = await _plan(gql, ids["shop"])

    assert (broken["rto"], broken["met"]) == (2400, False)
    assert [(s["cis"][0]["name"], s["finishMinute"]) for s in broken["breakingChain"]] == [
        ("core", 0),
        ("vm-web", 30),
        ("web", 40),
        ("shop", 45),
    ]
    assert (met["rto"], met["met"], met["breakingChain"]) == (2700, True, [])


async def test_an_unknown_service_has_no_plan(gql: GraphQLClient) -> None:
    assert (await gql(PLAN, id="nope"))["continuityPlan"] is None
