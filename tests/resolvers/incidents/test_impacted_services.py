"""An incident's impacted services: computed from its affected CIs (redundancy-aware), kept
apart from the services agents add or exclude by hand."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import relate
from tests.resolvers.incidents.helpers import get, open_incident, update
from tests.resolvers.topology import build

Edges = list[tuple[str, str, str] | tuple[str, str, str, str, int]]
SHARED_DATABASE: tuple[dict[str, str], Edges] = (
    {
        "db": "DATABASE",
        "orders": "APPLICATION",
        "billing": "APPLICATION",
        "shop": "BUSINESS_SERVICE",
        "invoicing": "BUSINESS_SERVICE",
        "hr portal": "BUSINESS_SERVICE",
        "cache": "CACHE",
    },
    [
        ("orders", "db", "DEPENDS_ON"),
        ("billing", "db", "DEPENDS_ON"),
        ("shop", "orders", "PROVIDED_BY"),
        ("invoicing", "billing", "PROVIDED_BY"),
    ],
)

ADD = """
mutation($input: AddImpactedServiceInput!) {
  addImpactedService(input: $input) {
    incident { version impactedServices { service { name } state reason source addedBy } }
    errors { field code message }
  }
}
"""
EXCLUDE = """
mutation($input: ExcludeImpactedServiceInput!) {
  excludeImpactedService(input: $input) {
    incident {
      impactedServices { service { name } }
      excludedServices { service { name } reason by }
    }
    errors { field code message }
  }
}
"""
CLEAR = """
mutation($input: ClearManualImpactInput!) {
  clearManualImpact(input: $input) {
    incident { impactedServices { service { name } source } excludedServices { service { name } } }
    errors { field code message }
  }
}
"""
RECOMPUTE = """
mutation($input: RecomputeIncidentImpactInput!) {
  recomputeIncidentImpact(input: $input) {
    incident { impactedServices { service { name } state source } }
    errors { field code message }
  }
}
"""


def services(incident: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(s["service"]["name"], s["state"], s["source"]) for s in incident["impactedServices"]]


async def test_an_incident_on_a_database_shared_by_two_services_lists_both_down(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)

    incident = await open_incident(gql, [ids["db"]])

    assert sorted(services(incident)) == [
        ("invoicing", "DOWN", "COMPUTED"),
        ("shop", "DOWN", "COMPUTED"),
    ]
    assert all(s["reason"] for s in incident["impactedServices"])
    assert {s["addedBy"] for s in incident["impactedServices"]} == {"test-user"}


async def test_an_incident_on_one_member_of_a_pool_of_three_that_needs_two_degrades_its_services(
    gql: GraphQLClient,
) -> None:
    ids = await build(
        gql,
        {
            "vm-1": "VIRTUAL_MACHINE",
            "vm-2": "VIRTUAL_MACHINE",
            "vm-3": "VIRTUAL_MACHINE",
            "web": "APPLICATION",
            "shop": "BUSINESS_SERVICE",
        },
        [
            ("web", "vm-1", "RUNS_ON", "web-pool", 2),
            ("web", "vm-2", "RUNS_ON", "web-pool", 2),
            ("web", "vm-3", "RUNS_ON", "web-pool", 2),
            ("shop", "web", "PROVIDED_BY"),
        ],
    )

    incident = await open_incident(gql, [ids["vm-1"]], category="HARDWARE")

    assert services(incident) == [("shop", "DEGRADED", "COMPUTED")]


async def test_a_manual_exclusion_and_addition_survive_a_change_of_the_affected_cis(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]
    excluded = await gql(
        EXCLUDE,
        input={"number": number, "serviceId": ids["invoicing"], "reason": "batch only, at night"},
    )
    added = await gql(
        ADD,
        input={
            "number": number,
            "serviceId": ids["hr portal"],
            "state": "DEGRADED",
            "reason": "users report slowness",
        },
    )

    changed = await update(gql, number, affectedCiIds=[ids["db"], ids["cache"]])

    assert excluded["excludeImpactedService"]["errors"] == []
    assert excluded["excludeImpactedService"]["incident"]["excludedServices"] == [
        {"service": {"name": "invoicing"}, "reason": "batch only, at night", "by": "test-user"}
    ]
    assert added["addImpactedService"]["errors"] == []
    assert changed["errors"] == []
    assert services(changed["incident"]) == [
        ("shop", "DOWN", "COMPUTED"),
        ("hr portal", "DEGRADED", "MANUAL"),
    ]
    assert [s["service"]["name"] for s in changed["incident"]["excludedServices"]] == ["invoicing"]
    assert sorted(changed["incident"]["affectedCiIds"]) == sorted([ids["db"], ids["cache"]])


async def test_clearing_the_manual_decisions_brings_back_the_computed_service(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]
    await gql(EXCLUDE, input={"number": number, "serviceId": ids["shop"], "reason": "no"})

    cleared = await gql(CLEAR, input={"number": number, "serviceId": ids["shop"]})
    again = await gql(CLEAR, input={"number": number, "serviceId": ids["shop"]})

    assert cleared["clearManualImpact"]["errors"] == []
    assert sorted(
        s["service"]["name"] for s in cleared["clearManualImpact"]["incident"]["impactedServices"]
    ) == ["invoicing", "shop"]
    assert [(e["field"], e["code"]) for e in again["clearManualImpact"]["errors"]] == [
        ("serviceId", "NOT_FOUND")
    ]


async def test_only_services_can_be_added_and_only_computed_ones_excluded(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]

    not_a_service = await gql(
        ADD, input={"number": number, "serviceId": ids["cache"], "state": "DOWN"}
    )
    computed_already = await gql(
        ADD, input={"number": number, "serviceId": ids["shop"], "state": "DOWN"}
    )
    not_computed = await gql(
        EXCLUDE, input={"number": number, "serviceId": ids["hr portal"], "reason": "x"}
    )

    for payload in (
        not_a_service["addImpactedService"],
        computed_already["addImpactedService"],
        not_computed["excludeImpactedService"],
    ):
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [
            ("serviceId", "INVALID_VALUE")
        ]
    assert (await get(gql, number))["version"] == 1


async def test_recomputing_sees_a_dependency_added_after_the_incident_opened(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]
    await relate(gql, ids["hr portal"], ids["db"], "DEPENDS_ON")

    payload = await gql(RECOMPUTE, input={"number": number})

    recomputed = payload["recomputeIncidentImpact"]
    assert recomputed["errors"] == []
    assert sorted(s["service"]["name"] for s in recomputed["incident"]["impactedServices"]) == [
        "hr portal",
        "invoicing",
        "shop",
    ]


async def test_agents_adding_services_to_one_incident_at_once_lose_none(
    gql: GraphQLClient,
) -> None:
    names = [f"portal {n}" for n in range(6)]
    ids = await build(gql, {"db": "DATABASE", **dict.fromkeys(names, "BUSINESS_SERVICE")}, [])
    number = (await open_incident(gql, [ids["db"]]))["number"]

    results = await asyncio.gather(
        *(
            gql(
                ADD,
                input={
                    "number": number,
                    "serviceId": ids[name],
                    "state": "DEGRADED",
                    "reason": "users report it",
                },
            )
            for name in names
        )
    )

    assert all(r["addImpactedService"]["errors"] == [] for r in results)
    incident = await get(gql, number)
    assert sorted(s["service"]["name"] for s in incident["impactedServices"]) == names
    assert incident["version"] == 1 + len(names)


def _states(incident: dict[str, Any]) -> dict[str, str]:
    return {s["service"]["name"]: s["state"] for s in incident["impactedServices"]}


async def test_an_incident_that_causes_no_outage_lists_its_services_degraded_at_most(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)

    outage = await open_incident(gql, [ids["db"]])
    slow = await open_incident(gql, [ids["db"]], causesOutage=False)
    request = await open_incident(gql, [ids["db"]], category="SERVICE_REQUEST")

    assert _states(outage) == {"shop": "DOWN", "invoicing": "DOWN"}
    assert _states(slow) == {"shop": "DEGRADED", "invoicing": "DEGRADED"}
    assert all(s["reason"].endswith("(impaired, not failed)") for s in slow["impactedServices"])
    # A service request impairs nothing; told that it causes an outage, it lists what fails.
    assert request["impactedServices"] == []
    told = await update(gql, request["number"], causesOutage=True)
    assert told["errors"] == [] and _states(told["incident"]) == _states(outage)
    back = await update(gql, outage["number"], causesOutage=False)
    assert _states(back["incident"]) == _states(slow)


async def test_recomputes_and_an_exclusion_at_once_keep_the_computed_list_and_the_exclusion(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]
    await relate(gql, ids["hr portal"], ids["db"], "DEPENDS_ON")

    results = await asyncio.gather(
        gql(RECOMPUTE, input={"number": number}),
        gql(RECOMPUTE, input={"number": number}),
        gql(EXCLUDE, input={"number": number, "serviceId": ids["shop"], "reason": "not ours"}),
    )

    assert [r[next(iter(r))]["errors"] for r in results] == [[], [], []]
    incident = await get(gql, number)
    shown = sorted((s["service"]["name"], s["source"]) for s in incident["impactedServices"])
    assert shown == [("hr portal", "COMPUTED"), ("invoicing", "COMPUTED")]
    assert incident["version"] == 4


async def test_the_service_of_each_impacted_service_is_answered_from_its_summary_or_whole(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHARED_DATABASE)
    number = (await open_incident(gql, [ids["db"]]))["number"]
    query = """
    query($number: String!) { incident(number: $number) {
      summary: impactedServices { service { __typename id name class } }
      whole: impactedServices { service { name criticality status } }
    } }
    """

    found = (await gql(query, number=number))["incident"]

    assert sorted(s["service"]["name"] for s in found["summary"]) == ["invoicing", "shop"]
    assert {s["service"]["__typename"] for s in found["summary"]} == {"BusinessService"}
    assert {s["service"]["id"] for s in found["summary"]} == {ids["shop"], ids["invoicing"]}
    assert {s["service"]["status"] for s in found["whole"]} == {"OPERATIONAL"}
