"""serviceAvailability: outages, downtime and degraded time computed exactly from incident
history over the dependency graph, redundancy-aware."""

from __future__ import annotations

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.availability.helpers import (
    AVAILABILITY,
    availability,
    incident,
    iso,
    outage,
    shop,
)

SET_LEVEL = """
mutation($input: SetServiceLevelInput!) {
  setServiceLevel(input: $input) { errors { field message } }
}
"""


async def test_a_service_without_incidents_is_fully_available(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)

    found = await availability(gql, clock, ids["shop"], 0, 10)

    assert found == {
        "availabilityPercent": 100.0,
        "outageCount": 0,
        "downtimeSeconds": 0.0,
        "degradedSeconds": 0.0,
        "mttrSeconds": None,
        "mtbfSeconds": None,
        "target": None,
        "met": None,
        "outages": [],
    }


async def test_overlapping_incidents_on_one_ci_merge_into_one_outage(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    first = await incident(gql, clock, ids["db"], 1, ("RESOLVED", 3))
    second = await incident(gql, clock, ids["db"], 2, ("IN_PROGRESS", 2.5), ("RESOLVED", 4))

    found = await availability(gql, clock, ids["shop"], 0, 10)

    assert found["outages"] == [outage(1, 4, *sorted([first, second]))]
    assert found["outageCount"] == 1
    assert found["downtimeSeconds"] == 10800.0
    assert found["availabilityPercent"] == 70.0
    assert found["mttrSeconds"] == 10800.0
    assert found["mtbfSeconds"] == 25200.0
    assert found["degradedSeconds"] == 0.0


async def test_two_pool_members_take_the_service_down_only_where_their_incidents_overlap(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    first = await incident(gql, clock, ids["web1"], 1, ("RESOLVED", 3))
    second = await incident(gql, clock, ids["web2"], 2, ("RESOLVED", 4))

    found = await availability(gql, clock, ids["shop"], 0, 10)

    assert found["outages"] == [outage(2, 3, *sorted([first, second]))]
    assert found["downtimeSeconds"] == 3600.0
    assert found["degradedSeconds"] == 7200.0
    assert found["availabilityPercent"] == 90.0


async def test_outages_crossing_the_boundaries_of_the_period_are_clipped_to_it(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    early = await incident(gql, clock, ids["db"], 1, ("RESOLVED", 3))
    late = await incident(gql, clock, ids["db"], 11, ("RESOLVED", 13))

    found = await availability(gql, clock, ids["shop"], 2, 12)

    assert found["outages"] == [outage(2, 3, early), outage(11, 12, late)]
    assert found["outageCount"] == 2
    assert found["downtimeSeconds"] == 7200.0
    assert found["availabilityPercent"] == 80.0
    assert found["mttrSeconds"] == 3600.0
    assert found["mtbfSeconds"] == 14400.0


async def test_a_reopened_incident_fails_its_ci_again_from_the_reopening(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    number = await incident(
        gql,
        clock,
        ids["db"],
        1,
        ("RESOLVED", 2),
        ("IN_PROGRESS", 3),
        ("RESOLVED", 4),
        ("CLOSED", 5),
    )

    found = await availability(gql, clock, ids["shop"], 0, 10)

    assert found["outages"] == [outage(1, 2, number), outage(3, 4, number)]
    assert found["downtimeSeconds"] == 7200.0
    assert found["mtbfSeconds"] == 14400.0


async def test_a_service_request_and_a_cancelled_incident_change_nothing(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    await incident(gql, clock, ids["db"], 1, ("RESOLVED", 3), causes_outage=False)
    await incident(gql, clock, ids["db"], 4, ("CANCELLED", 6))

    found = await availability(gql, clock, ids["shop"], 0, 10)

    assert (found["availabilityPercent"], found["outageCount"], found["outages"]) == (100.0, 0, [])


async def test_support_hours_measure_the_period_and_the_downtime_in_business_time(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    level = {"serviceId": ids["shop"], "availabilityTarget": 99.9}
    result = await gql(SET_LEVEL, input={**level, "supportHours": "MON-FRI 09:00-17:00"})
    assert result["setServiceLevel"]["errors"] == []
    # Monday 16:00 to 18:00: one hour of it within support hours.
    await incident(gql, clock, ids["db"], 6, ("RESOLVED", 8))

    # Monday 10:00 to Tuesday 10:00: eight support hours.
    found = await availability(gql, clock, ids["shop"], 0, 24)

    assert found["downtimeSeconds"] == 3600.0
    assert found["availabilityPercent"] == 87.5
    assert (found["target"], found["met"]) == (99.9, False)
    assert found["mtbfSeconds"] == 25200.0


async def test_a_reversed_or_too_long_period_is_a_bad_request(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    for start, end, says in [(5, 5, "after"), (0, 367 * 24, "366 days")]:
        body = await gql.raw(AVAILABILITY, id=ids["shop"], **{"from": iso(start), "to": iso(end)})

        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert says in error["message"]


async def test_an_unknown_service_has_no_availability(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    found = await gql(AVAILABILITY, id="no-such-ci", **{"from": iso(0), "to": iso(1)})

    assert found["serviceAvailability"] is None
