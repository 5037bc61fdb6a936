"""SLA targets per business service (docs/sla.md, "Targets per service"): an incident's clocks
use the service level of the most critical business service it impacts that sets targets,
chosen again whenever its impacted services change."""

from __future__ import annotations

from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import open_incident
from tests.resolvers.topology import build

SET_LEVEL = """
mutation($input: SetServiceLevelInput!) {
  setServiceLevel(input: $input) { errors { field message } }
}
"""

CLOCKS = """
query($number: String!) {
  incident(number: $number) {
    slaService { name }
    sla { kind target breached }
  }
}
"""

EXCLUDE = """
mutation($input: ExcludeImpactedServiceInput!) {
  excludeImpactedService(input: $input) { errors { field message } }
}
"""

BREACHED = """
query { incidents(first: 10, filter: {breached: true}) { edges { node { number } } } }
"""


async def _level(gql: GraphQLClient, service: str, **fields: Any) -> None:
    result = await gql(SET_LEVEL, input={"serviceId": service, **fields})
    assert result["setServiceLevel"]["errors"] == []


async def _clocks(gql: GraphQLClient, number: str) -> dict[str, Any]:
    incident = (await gql(CLOCKS, number=number))["incident"]
    return {
        "service": incident["slaService"]["name"] if incident["slaService"] else None,
        **{c["kind"]: (c["target"], c["breached"]) for c in incident["sla"]},
    }


async def _shop_and_payroll(gql: GraphQLClient) -> dict[str, str]:
    ids = await build(
        gql,
        {"shop": "BUSINESS_SERVICE", "payroll": "BUSINESS_SERVICE", "db": "DATABASE"},
        [("shop", "db", "DEPENDS_ON"), ("payroll", "db", "DEPENDS_ON")],
    )
    await gql(
        """mutation($input: UpdateCIInput!) { updateCI(input: $input) { errors { field } } }""",
        input={"id": ids["shop"], "expectedVersion": 1, "criticality": 1},
    )
    await _level(gql, ids["shop"], responseTargets=[{"priority": "P2", "target": "10m"}])
    await _level(gql, ids["payroll"], responseTargets=[{"priority": "P2", "target": "1h"}])
    return ids


async def test_the_most_critical_impacted_service_sets_the_targets(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await _shop_and_payroll(gql)

    incident = await open_incident(gql, [ids["db"]], impact=1, urgency=2)
    clock.advance(minutes=11)

    assert await _clocks(gql, incident["number"]) == {
        "service": "shop",
        "RESPONSE": ("10 minutes", True),
        "RESOLUTION": ("8 hours", False),
    }
    breached = (await gql(BREACHED))["incidents"]["edges"]
    assert [e["node"]["number"] for e in breached] == [incident["number"]]


async def test_excluding_that_service_hands_the_targets_to_the_next(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await _shop_and_payroll(gql)
    incident = await open_incident(gql, [ids["db"]], impact=1, urgency=2)

    excluded = await gql(
        EXCLUDE,
        input={"number": incident["number"], "serviceId": ids["shop"], "reason": "not used"},
    )
    clock.advance(minutes=11)

    assert excluded["excludeImpactedService"]["errors"] == []
    assert await _clocks(gql, incident["number"]) == {
        "service": "payroll",
        "RESPONSE": ("1 hour", False),
        "RESOLUTION": ("8 hours", False),
    }
    assert (await gql(BREACHED))["incidents"]["edges"] == []


async def test_without_a_service_level_the_defaults_apply(gql: GraphQLClient) -> None:
    ids = await build(
        gql, {"shop": "BUSINESS_SERVICE", "db": "DATABASE"}, [("shop", "db", "DEPENDS_ON")]
    )

    incident = await open_incident(gql, [ids["db"]], impact=1, urgency=2)

    assert await _clocks(gql, incident["number"]) == {
        "service": None,
        "RESPONSE": ("30 minutes", False),
        "RESOLUTION": ("8 hours", False),
    }
