"""`costReport`: every business service's cost roll-up, per service, owner and support group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

REPORT = """
query($by: CostGroupBy!) { costReport(groupBy: $by) {
  groupBy total groups { key total services { service { name } total truncated } }
} }
"""

COST = "query($id: ID!) { serviceCost(serviceId: $id) { total } }"


async def _services(gql: GraphQLClient) -> dict[str, str]:
    """shop (alice, Web Ops) and hr (bob, Web Ops) share one VM; blog (alice) stands alone."""
    cis = {
        "shop": ("BUSINESS_SERVICE", "100", "alice", "Web Ops"),
        "hr": ("BUSINESS_SERVICE", "50", "bob", "Web Ops"),
        "blog": ("BUSINESS_SERVICE", "10", "alice", None),
        "web": ("APPLICATION", "60", None, None),
        "payroll": ("APPLICATION", "40", None, None),
        "vm": ("VIRTUAL_MACHINE", "90", None, None),
    }
    ids = {
        name: await create_ci(
            gql, name, ci_class, monthlyCost=cost, owner=owner, supportGroup=group
        )
        for name, (ci_class, cost, owner, group) in cis.items()
    }
    for dependent, dependency, kind in [
        ("shop", "web", "PROVIDED_BY"),
        ("hr", "payroll", "PROVIDED_BY"),
        ("web", "vm", "RUNS_ON"),
        ("payroll", "vm", "RUNS_ON"),
    ]:
        assert (await relate(gql, ids[dependent], ids[dependency], kind))["errors"] == []
    return ids


async def _report(gql: GraphQLClient, by: str) -> dict[str, Any]:
    report: dict[str, Any] = (await gql(REPORT, by=by))["costReport"]
    return report


def _totals(report: dict[str, Any]) -> list[tuple[Any, Decimal]]:
    return [(g["key"], Decimal(g["total"])) for g in report["groups"]]


async def test_cost_report_totals_equal_the_sum_of_the_service_roll_ups(
    gql: GraphQLClient,
) -> None:
    ids = await _services(gql)

    by_service = await _report(gql, "SERVICE")
    by_owner = await _report(gql, "OWNER")
    by_group = await _report(gql, "SUPPORT_GROUP")
    roll_ups = {
        name: Decimal((await gql(COST, id=ids[name]))["serviceCost"]["total"])
        for name in ("shop", "hr", "blog")
    }

    assert roll_ups == {"shop": Decimal(205), "hr": Decimal(135), "blog": Decimal(10)}
    assert _totals(by_service) == [
        (ids["shop"], Decimal(205)),
        (ids["hr"], Decimal(135)),
        (ids["blog"], Decimal(10)),
    ]
    assert _totals(by_owner) == [("alice", Decimal(215)), ("bob", Decimal(135))]
    assert _totals(by_group) == [("Web Ops", Decimal(340)), (None, Decimal(10))]
    for report in (by_service, by_owner, by_group):
        assert Decimal(report["total"]) == sum(roll_ups.values()) == Decimal(350)
        for group in report["groups"]:
            assert Decimal(group["total"]) == sum(
                roll_ups[s["service"]["name"]] for s in group["services"]
            )
    assert [s["service"]["name"] for s in by_owner["groups"][0]["services"]] == ["blog", "shop"]
    assert by_group["groupBy"] == "SUPPORT_GROUP"


async def test_a_cmdb_without_business_services_costs_nothing(gql: GraphQLClient) -> None:
    await create_ci(gql, "vm", "VIRTUAL_MACHINE", monthlyCost="90")

    report = await _report(gql, "OWNER")

    assert (Decimal(report["total"]), report["groups"]) == (Decimal(0), [])
