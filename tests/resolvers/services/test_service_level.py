"""`setServiceLevel` and a business service's `serviceLevel`, through the GraphQL API."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

SET = """
mutation($input: SetServiceLevelInput!) {
  setServiceLevel(input: $input) {
    serviceLevel {
      availabilityTarget supportHours rto rpo updatedBy
      responseTargets { priority target overridden }
      resolutionTargets { priority target overridden }
    }
    errors { field message code }
  }
}
"""

READ = """
query($id: ID!) {
  ci(id: $id) {
    ... on BusinessService {
      serviceLevel {
        availabilityTarget supportHours rto
        responseTargets { priority target overridden }
      }
    }
  }
}
"""

HISTORY = """
query($id: ID!) { ci(id: $id) { history(first: 10) { edges { node { operation summary } } } } }
"""


async def _set(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await gql(SET, input=fields))["setServiceLevel"]
    return result


async def test_a_business_service_keeps_what_it_promises(gql: GraphQLClient) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")

    result = await _set(
        gql,
        serviceId=shop,
        availabilityTarget=99.9,
        supportHours="MON-FRI 08:00-18:00 Europe/Paris",
        responseTargets=[{"priority": "P1", "target": "10m"}, {"priority": "P4", "target": "2bd"}],
        rto=3600,
        rpo=900,
    )

    assert result["errors"] == []
    level = result["serviceLevel"]
    assert level["availabilityTarget"] == 99.9
    assert level["rto"] == 3600 and level["rpo"] == 900
    assert level["updatedBy"] == "test-user"
    assert level["responseTargets"] == [
        {"priority": "P1", "target": "10 minutes", "overridden": True},
        {"priority": "P2", "target": "30 minutes", "overridden": False},
        {"priority": "P3", "target": "4 hours", "overridden": False},
        {"priority": "P4", "target": "2 business days", "overridden": True},
        {"priority": "P5", "target": "3 business days", "overridden": False},
    ]
    assert level["resolutionTargets"][0] == {
        "priority": "P1",
        "target": "4 hours",
        "overridden": False,
    }
    read = (await gql(READ, id=shop))["ci"]["serviceLevel"]
    assert read["supportHours"] == "MON-FRI 08:00-18:00 Europe/Paris"
    assert read["responseTargets"] == level["responseTargets"]
    events = (await gql(HISTORY, id=shop))["ci"]["history"]["edges"]
    assert events[0]["node"] == {
        "operation": "setServiceLevel",
        "summary": "service level of Online Shop set",
    }


async def test_fields_left_out_stay_and_null_clears(gql: GraphQLClient) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")
    await _set(
        gql,
        serviceId=shop,
        availabilityTarget=99.5,
        rto=7200,
        responseTargets=[{"priority": "P1", "target": "10m"}],
    )

    result = await _set(gql, serviceId=shop, rto=None, resolutionTargets=[])

    level = result["serviceLevel"]
    assert level["availabilityTarget"] == 99.5
    assert level["rto"] is None
    assert level["responseTargets"][0]["overridden"] is True


async def test_bad_values_are_refused_whole_with_every_field_named(gql: GraphQLClient) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")

    result = await _set(
        gql,
        serviceId=shop,
        availabilityTarget=120,
        supportHours="weekdays",
        rto=-1,
        responseTargets=[{"priority": "P1", "target": "soon"}],
    )

    assert result["serviceLevel"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("responseTargets[0].target", "INVALID_FORMAT")
    ]
    result = await _set(
        gql, serviceId=shop, availabilityTarget=120, supportHours="weekdays", rto=-1
    )
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("availabilityTarget", "OUT_OF_RANGE"),
        ("supportHours", "INVALID_FORMAT"),
        ("rto", "OUT_OF_RANGE"),
    ]
    assert (await gql(READ, id=shop))["ci"]["serviceLevel"] is None


async def test_only_business_services_carry_a_service_level(gql: GraphQLClient) -> None:
    db = await create_ci(gql, "Orders DB", "DATABASE")

    result = await _set(gql, serviceId=db, availabilityTarget=99.9)
    missing = await _set(gql, serviceId="no-such-ci", availabilityTarget=99.9)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("serviceId", "INVALID_VALUE")]
    assert "only business services" in result["errors"][0]["message"]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("serviceId", "NOT_FOUND")]


async def test_parallel_writers_of_one_service_level_leave_one_level(gql: GraphQLClient) -> None:
    shop = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")

    results = await asyncio.gather(
        *(_set(gql, serviceId=shop, availabilityTarget=99.0 + i / 10) for i in range(8)),
        _set(gql, serviceId=shop, responseTargets=[{"priority": "P2", "target": "20m"}]),
    )

    assert all(r["errors"] == [] for r in results)
    level = (await gql(READ, id=shop))["ci"]["serviceLevel"]
    assert level["availabilityTarget"] in {99.0 + i / 10 for i in range(8)}
    # The targets' writer merged inside its transaction: no other writer erased its change.
    assert level["responseTargets"][1] == {
        "priority": "P2",
        "target": "20 minutes",
        "overridden": True,
    }
