"""The cost of downtime: a service level's cost per hour of outage times the downtime of a
period, on `serviceAvailability` and in `costReport(from, to)`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.availability.helpers import hour, incident, iso
from tests.resolvers.helpers import create_ci, relate

SET_LEVEL = """
mutation($input: SetServiceLevelInput!) {
  setServiceLevel(input: $input) {
    serviceLevel { outageCostPerHour availabilityTarget }
    errors { field code message }
  }
}
"""

AVAILABILITY = """
query($id: ID!, $from: DateTime!, $to: DateTime!) {
  serviceAvailability(serviceId: $id, from: $from, to: $to) {
    downtimeSeconds outageCostPerHour downtimeCost
  }
}
"""

REPORT = """
query($by: CostGroupBy!, $from: DateTime, $to: DateTime) {
  costReport(groupBy: $by, from: $from, to: $to) {
    from to total downtimeCost
    groups { key total downtimeCost
             services { service { name } total downtimeSeconds outageCostPerHour downtimeCost } }
  }
}
"""


async def _level(gql: GraphQLClient, service: str, **fields: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await gql(SET_LEVEL, input={"serviceId": service, **fields}))[
        "setServiceLevel"
    ]
    return found


async def _history(gql: GraphQLClient, clock: MovableClock) -> dict[str, str]:
    """shop (alice, 1,500.50 an hour of outage) is down from hour 4 to 5 and from 6 to 7.5;
    payroll (bob, no cost stated) is down from hour 1 to 3 with web1."""
    ids = {
        "shop": await create_ci(gql, "shop", "BUSINESS_SERVICE", owner="alice", monthlyCost="100"),
        "db": await create_ci(gql, "db", "DATABASE", monthlyCost="40"),
        "payroll": await create_ci(gql, "payroll", "BUSINESS_SERVICE", owner="bob"),
        "web1": await create_ci(gql, "web1", "SERVER", monthlyCost="10"),
    }
    assert (await relate(gql, ids["shop"], ids["db"], "DEPENDS_ON"))["errors"] == []
    assert (await relate(gql, ids["payroll"], ids["web1"], "DEPENDS_ON"))["errors"] == []
    assert (await _level(gql, ids["shop"], outageCostPerHour="1500.50"))["errors"] == []
    await incident(gql, clock, ids["web1"], 1, ("RESOLVED", 3))
    await incident(gql, clock, ids["db"], 4, ("RESOLVED", 5))
    await incident(gql, clock, ids["db"], 6, ("RESOLVED", 7.5))
    clock.set(hour(48))
    return ids


async def test_the_downtime_of_a_period_times_the_cost_of_an_hour_of_outage(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await _history(gql, clock)
    period = {"from": iso(0), "to": iso(10)}

    shop_figures = (await gql(AVAILABILITY, id=ids["shop"], **period))["serviceAvailability"]
    payroll = (await gql(AVAILABILITY, id=ids["payroll"], **period))["serviceAvailability"]

    assert shop_figures == {
        "downtimeSeconds": 9000.0,
        "outageCostPerHour": "1500.50",
        "downtimeCost": "3751.25",
    }
    assert payroll == {"downtimeSeconds": 7200.0, "outageCostPerHour": None, "downtimeCost": None}


async def test_the_cost_report_of_a_period_sums_the_stated_costs_of_downtime(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await _history(gql, clock)

    report = (await gql(REPORT, by="OWNER", **{"from": iso(0), "to": iso(10)}))["costReport"]

    assert report["from"] == iso(0) and report["to"] == iso(10)
    assert Decimal(report["downtimeCost"]) == Decimal("3751.25")
    groups = {g["key"]: g for g in report["groups"]}
    assert Decimal(groups["alice"]["downtimeCost"]) == Decimal("3751.25")
    assert groups["bob"]["downtimeCost"] is None
    [shop_line] = groups["alice"]["services"]
    assert shop_line["service"] == {"name": "shop"}
    assert (shop_line["downtimeSeconds"], shop_line["outageCostPerHour"]) == (9000.0, "1500.50")
    [payroll_line] = groups["bob"]["services"]
    assert (payroll_line["downtimeSeconds"], payroll_line["downtimeCost"]) == (7200.0, None)
    # The roll-ups are those of the report without a period.
    plain = (await gql(REPORT, by="OWNER"))["costReport"]
    assert [(g["key"], g["total"]) for g in plain["groups"]] == [
        (g["key"], g["total"]) for g in report["groups"]
    ]
    assert plain["downtimeCost"] is None and plain["from"] is None
    assert all(s["downtimeSeconds"] is None for g in plain["groups"] for s in g["services"])


async def test_a_cost_report_needs_both_ends_of_its_period(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await _history(gql, clock)

    half = await gql.raw(REPORT, by="SERVICE", **{"from": iso(0)})
    reversed_period = await gql.raw(REPORT, by="SERVICE", **{"from": iso(10), "to": iso(0)})

    assert half["errors"][0]["message"] == "costReport takes both from and to, or neither"
    assert half["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "to" in reversed_period["errors"][0]["message"]


async def test_a_cost_per_hour_of_outage_is_a_non_negative_amount_and_can_be_cleared(
    gql: GraphQLClient,
) -> None:
    service = await create_ci(gql, "shop", "BUSINESS_SERVICE")

    negative = await _level(gql, service, outageCostPerHour="-1")
    stored = await _level(gql, service, outageCostPerHour="250", availabilityTarget=99.5)
    cleared = await _level(gql, service, outageCostPerHour=None)

    assert negative["errors"] == [
        {
            "field": "outageCostPerHour",
            "code": "OUT_OF_RANGE",
            "message": "an amount from 0 to 1000000000000, got -1",
        }
    ]
    assert stored["serviceLevel"] == {"outageCostPerHour": "250", "availabilityTarget": 99.5}
    assert cleared["serviceLevel"] == {"outageCostPerHour": None, "availabilityTarget": 99.5}
