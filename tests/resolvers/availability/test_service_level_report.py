"""serviceLevelReport: every business service's availability over one period, by name."""

from __future__ import annotations

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.availability.helpers import hour, incident, iso, shop
from tests.resolvers.helpers import create_ci, relate

REPORT = """
query($from: DateTime!, $to: DateTime!) {
  serviceLevelReport(from: $from, to: $to) {
    service { name } availabilityPercent outageCount downtimeSeconds
  }
}
"""


async def test_the_report_gives_every_business_service_its_own_figures(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    payroll = await create_ci(gql, "payroll", "BUSINESS_SERVICE")
    assert (await relate(gql, payroll, ids["web1"], "DEPENDS_ON"))["errors"] == []
    await incident(gql, clock, ids["web1"], 1, ("RESOLVED", 3))
    await incident(gql, clock, ids["db"], 4, ("RESOLVED", 5))
    clock.set(hour(48))

    report = (await gql(REPORT, **{"from": iso(0), "to": iso(10)}))["serviceLevelReport"]

    assert report == [
        {
            "service": {"name": "payroll"},
            "availabilityPercent": 80.0,
            "outageCount": 1,
            "downtimeSeconds": 7200.0,
        },
        {
            "service": {"name": "shop"},
            "availabilityPercent": 90.0,
            "outageCount": 1,
            "downtimeSeconds": 3600.0,
        },
    ]
