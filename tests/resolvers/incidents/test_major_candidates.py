"""Major-incident candidates: a P1 on a business service of criticality 1, or several open
incidents whose affected CIs share a root-cause candidate; and the root-cause candidates of a
set of open incidents."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate
from tests.resolvers.incidents.helpers import open_incident, transition
from tests.resolvers.topology import build

CANDIDATES = """
{ majorIncidentCandidates {
    incident { number priority }
    reasons { kind message service { name } rootCause { name } incidents { number } }
} }
"""
REASONS = """
query($number: String!) {
  incident(number: $number) { majorCandidate { kind service { name } rootCause { name } } }
}
"""
PAGE = """
{ incidents(first: 50) { edges { node { number majorCandidate { kind rootCause { name } } } } } }
"""
PAGE_WITHOUT = "{ incidents(first: 50) { edges { node { number } } } }"
PROMOTE = """
mutation($input: PromoteMajorIncidentInput!) {
  promoteMajorIncident(input: $input) { incident { number } errors { code } }
}
"""
LINK = """
mutation($input: LinkChildIncidentsInput!) {
  linkChildIncidents(input: $input) { incident { number } errors { code } }
}
"""
ROOTS = """
query($numbers: [String!], $ids: [ID!]) {
  rootCauseCandidates(incidentNumbers: $numbers, ciIds: $ids) {
    ci { name } count explains { name }
  }
}
"""


async def candidates(gql: GraphQLClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await gql(CANDIDATES))["majorIncidentCandidates"]
    return found


async def shop_on_two_applications(gql: GraphQLClient, criticality: int = 1) -> dict[str, str]:
    ids = {
        "shop": await create_ci(gql, "Online Shop", "BUSINESS_SERVICE", criticality=criticality),
        "orders": await create_ci(gql, "orders", "APPLICATION"),
        "catalogue": await create_ci(gql, "catalogue", "APPLICATION"),
    }
    for app in ("orders", "catalogue"):
        assert (await relate(gql, ids["shop"], ids[app], "PROVIDED_BY"))["errors"] == []
    return ids


async def two_vms_on_one_host(gql: GraphQLClient) -> dict[str, str]:
    return await build(
        gql,
        {"esx-01": "SERVER", "vm-a": "VIRTUAL_MACHINE", "vm-b": "VIRTUAL_MACHINE"}
        | {"rack": "LOCATION"},
        [
            ("vm-a", "esx-01", "HOSTED_ON"),
            ("vm-b", "esx-01", "HOSTED_ON"),
            ("esx-01", "rack", "HOSTED_ON"),
        ],
    )


async def test_a_p1_on_a_critical_business_service_is_a_candidate_and_a_p2_is_not(
    gql: GraphQLClient,
) -> None:
    ids = await shop_on_two_applications(gql)
    p1 = (await open_incident(gql, [ids["orders"]], impact=1, urgency=1))["number"]
    p2 = (await open_incident(gql, [ids["catalogue"]], impact=1, urgency=2))["number"]

    assert await candidates(gql) == [
        {
            "incident": {"number": p1, "priority": "P1"},
            "reasons": [
                {
                    "kind": "P1_ON_CRITICAL_SERVICE",
                    "message": "a P1 impacting Online Shop, a business service of criticality 1",
                    "service": {"name": "Online Shop"},
                    "rootCause": None,
                    "incidents": [],
                }
            ],
        }
    ]
    reasons = (await gql(REASONS, number=p1))["incident"]["majorCandidate"]
    assert reasons == [
        {"kind": "P1_ON_CRITICAL_SERVICE", "service": {"name": "Online Shop"}, "rootCause": None}
    ]
    assert (await gql(REASONS, number=p2))["incident"]["majorCandidate"] == []


async def test_a_p1_on_a_service_of_criticality_2_is_not_a_candidate(gql: GraphQLClient) -> None:
    ids = await shop_on_two_applications(gql, criticality=2)
    await open_incident(gql, [ids["orders"]], impact=1, urgency=1)

    assert await candidates(gql) == []


async def test_a_p1_whose_critical_service_is_excluded_is_not_a_candidate(
    gql: GraphQLClient,
) -> None:
    ids = await shop_on_two_applications(gql)
    number = (await open_incident(gql, [ids["orders"]], impact=1, urgency=1))["number"]
    exclude = """
    mutation($input: ExcludeImpactedServiceInput!) {
      excludeImpactedService(input: $input) { errors { code } }
    }
    """
    excluded = await gql(
        exclude, input={"number": number, "serviceId": ids["shop"], "reason": "test shop only"}
    )
    assert excluded["excludeImpactedService"]["errors"] == []

    assert await candidates(gql) == []


async def test_a_p1_on_a_critical_service_added_by_hand_is_a_candidate(gql: GraphQLClient) -> None:
    ids = await shop_on_two_applications(gql)
    lone = await create_ci(gql, "printer", "NETWORK_DEVICE")
    number = (await open_incident(gql, [lone], impact=1, urgency=1))["number"]
    add = """
    mutation($input: AddImpactedServiceInput!) {
      addImpactedService(input: $input) { errors { code } }
    }
    """
    added = await gql(add, input={"number": number, "serviceId": ids["shop"], "state": "DEGRADED"})
    assert added["addImpactedService"]["errors"] == []

    [found] = await candidates(gql)
    assert found["incident"]["number"] == number
    assert [r["service"] for r in found["reasons"]] == [{"name": "Online Shop"}]


async def test_two_open_incidents_on_two_vms_of_one_host_share_the_host_as_root_cause(
    gql: GraphQLClient,
) -> None:
    ids = await two_vms_on_one_host(gql)
    first = (await open_incident(gql, [ids["vm-a"]], title="vm-a slow"))["number"]
    second = (await open_incident(gql, [ids["vm-b"]], title="vm-b slow", impact=1))["number"]

    found = await candidates(gql)

    # P2 before P3.
    assert [c["incident"]["number"] for c in found] == [second, first]
    for candidate, other in zip(found, [first, second], strict=True):
        assert candidate["reasons"] == [
            {
                "kind": "SHARED_ROOT_CAUSE",
                "message": f"shares the root-cause candidate esx-01 with {other}",
                "service": None,
                "rootCause": {"name": "esx-01"},
                "incidents": [{"number": first}, {"number": second}],
            }
        ]


async def test_resolved_incidents_share_no_root_cause_with_open_ones(gql: GraphQLClient) -> None:
    ids = await two_vms_on_one_host(gql)
    first = (await open_incident(gql, [ids["vm-a"]]))["number"]
    second = (await open_incident(gql, [ids["vm-b"]]))["number"]
    assert len(await candidates(gql)) == 2

    resolved = await transition(gql, second, "RESOLVED", resolution="restarted the VM")
    assert resolved["errors"] == []

    assert await candidates(gql) == []
    assert (await gql(REASONS, number=first))["incident"]["majorCandidate"] == []


async def test_incidents_opened_hours_apart_are_not_one_outage(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await two_vms_on_one_host(gql)
    await open_incident(gql, [ids["vm-a"]])
    clock.advance(hours=4, minutes=1)
    await open_incident(gql, [ids["vm-b"]])

    assert await candidates(gql) == []

    clock.advance(hours=3)
    third = (await open_incident(gql, [ids["vm-a"]]))["number"]
    found = await candidates(gql)
    # The second and the third opened within four hours: they are grouped, the first is not.
    assert len(found) == 2 and third in {c["incident"]["number"] for c in found}


async def test_a_service_request_shares_no_root_cause(gql: GraphQLClient) -> None:
    ids = await two_vms_on_one_host(gql)
    await open_incident(gql, [ids["vm-a"]])
    await open_incident(gql, [ids["vm-b"]], category="SERVICE_REQUEST")

    assert await candidates(gql) == []


async def test_two_incidents_on_one_ci_share_that_ci_as_root_cause(gql: GraphQLClient) -> None:
    ids = await two_vms_on_one_host(gql)
    await open_incident(gql, [ids["vm-a"]])
    await open_incident(gql, [ids["vm-a"]])

    found = await candidates(gql)

    assert [[r["rootCause"] for r in c["reasons"]] for c in found] == [[{"name": "vm-a"}]] * 2


async def test_major_incidents_and_their_children_are_not_candidates(gql: GraphQLClient) -> None:
    ids = await two_vms_on_one_host(gql)
    parent = (await open_incident(gql, [ids["vm-a"]]))["number"]
    child = (await open_incident(gql, [ids["vm-b"]]))["number"]
    other = (await open_incident(gql, [ids["esx-01"]]))["number"]
    assert len(await candidates(gql)) == 3

    promoted = await gql(PROMOTE, input={"number": parent, "reason": "the host is down"})
    assert promoted["promoteMajorIncident"]["errors"] == []
    linked = await gql(LINK, input={"number": parent, "childNumbers": [child]})
    assert linked["linkChildIncidents"]["errors"] == []

    assert await candidates(gql) == []
    for number in (parent, child, other):
        assert (await gql(REASONS, number=number))["incident"]["majorCandidate"] == []


async def test_the_candidates_of_a_page_of_incidents_cost_one_search(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await two_vms_on_one_host(gql)
    for vm in ("vm-a", "vm-b", "vm-a", "vm-b", "vm-a", "vm-b"):
        await open_incident(gql, [ids[vm]])

    before = db.round_trips
    await gql(PAGE_WITHOUT)
    plain = db.round_trips - before
    before = db.round_trips
    page = (await gql(PAGE))["incidents"]["edges"]
    with_candidates = db.round_trips - before

    assert {len(e["node"]["majorCandidate"]) for e in page} == {1}
    # The open set, the root-cause analysis, the root causes' names; the CIs (one batch).
    assert with_candidates - plain == 4


async def test_root_cause_candidates_of_open_incidents_come_from_their_affected_cis(
    gql: GraphQLClient,
) -> None:
    ids = await two_vms_on_one_host(gql)
    first = (await open_incident(gql, [ids["vm-a"]]))["number"]
    second = (await open_incident(gql, [ids["vm-b"]]))["number"]

    by_numbers = (await gql(ROOTS, numbers=[first, second.lower()]))["rootCauseCandidates"]
    by_ids = (await gql(ROOTS, ids=[ids["vm-a"], ids["vm-b"]]))["rootCauseCandidates"]
    mixed = (await gql(ROOTS, numbers=[first], ids=[ids["vm-b"]]))["rootCauseCandidates"]

    assert by_numbers[0] == {
        "ci": {"name": "esx-01"},
        "count": 2,
        "explains": [{"name": n} for n in sorted(["vm-a", "vm-b"], key=lambda n: ids[n])],
    }
    assert by_numbers == by_ids == mixed
    assert [c["ci"]["name"] for c in by_numbers] == ["esx-01", "rack"]


async def test_root_cause_candidates_name_unknown_and_closed_incidents(gql: GraphQLClient) -> None:
    ids = await two_vms_on_one_host(gql)
    first = (await open_incident(gql, [ids["vm-a"]]))["number"]
    done = (await open_incident(gql, [ids["vm-b"]]))["number"]
    await transition(gql, done, "CANCELLED")

    unknown = await gql.raw(ROOTS, numbers=[first, "INC0999998", "INC0999999"])
    closed = await gql.raw(ROOTS, numbers=[first, done])
    neither = await gql.raw(ROOTS)

    assert unknown["data"] is None
    assert [e["message"] for e in unknown["errors"]] == [
        "no incident has the number INC0999998; no incident has the number INC0999999"
    ]
    assert unknown["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert [e["message"] for e in closed["errors"]] == [f"{done} is CANCELLED, not open"]
    assert [e["message"] for e in neither["errors"]] == ["give ciIds, incidentNumbers or both"]
