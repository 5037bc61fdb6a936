"""SLA clocks read at the product clock's "now": targets per priority, ON_HOLD pausing the
resolution clock, business days by the calendar, and the `breached` filter agreeing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import a_ci, open_incident, transition

SLA = """
query($number: String!) {
  incident(number: $number) {
    slaBreachAt
    sla { kind target targetSeconds dueAt remainingSeconds elapsedSeconds breached breachedAt
          paused stoppedAt }
  }
}
"""
BREACHED = """
query($breached: Boolean!) {
  incidents(filter: {breached: $breached}) { edges { node { number } } }
}
"""


async def clocks(gql: GraphQLClient, number: str) -> dict[str, dict[str, Any]]:
    incident = (await gql(SLA, number=number))["incident"]
    return {c["kind"]: c for c in incident["sla"]}


async def breached(gql: GraphQLClient, value: bool = True) -> list[str]:
    data = await gql(BREACHED, breached=value)
    return [e["node"]["number"] for e in data["incidents"]["edges"]]


async def test_a_p1_breaches_its_response_target_at_15_minutes_not_at_14(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    opened = clock.now()
    number = (await open_incident(gql, [ci], impact=1, urgency=1))["number"]

    clock.advance(minutes=14)
    early = await clocks(gql, number)
    not_yet = await breached(gql)
    clock.advance(minutes=1, seconds=1)
    late = await clocks(gql, number)

    assert early["RESPONSE"]["target"] == "15 minutes"
    assert early["RESPONSE"]["breached"] is False
    assert early["RESPONSE"]["remainingSeconds"] == 60
    assert early["RESPONSE"]["dueAt"] == "2026-03-02T10:15:00+00:00"
    assert not_yet == []
    assert late["RESPONSE"]["breached"] is True
    assert late["RESPONSE"]["breachedAt"] == "2026-03-02T10:15:00+00:00"
    assert late["RESPONSE"]["remainingSeconds"] == -1
    assert late["RESOLUTION"]["breached"] is False
    assert await breached(gql) == [number]
    assert await breached(gql, False) == []
    assert opened.isoformat() == "2026-03-02T10:00:00+00:00"


async def test_responding_in_time_stops_the_response_clock_and_clears_the_breach(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    number = (await open_incident(gql, [ci], impact=1, urgency=1))["number"]
    clock.advance(minutes=10)
    await transition(gql, number, "IN_PROGRESS")

    clock.advance(hours=1)
    now = await clocks(gql, number)

    assert now["RESPONSE"]["breached"] is False
    assert now["RESPONSE"]["stoppedAt"] == "2026-03-02T10:10:00+00:00"
    assert now["RESPONSE"]["dueAt"] is None
    assert now["RESOLUTION"]["dueAt"] == "2026-03-02T14:00:00+00:00"
    assert await breached(gql) == []
    assert await breached(gql, False) == [number]


async def test_time_on_hold_does_not_count_toward_resolution(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    number = (await open_incident(gql, [ci], impact=1, urgency=1))["number"]
    clock.advance(minutes=5)
    await transition(gql, number, "IN_PROGRESS")
    clock.advance(hours=1)
    await transition(gql, number, "ON_HOLD", note="waiting for the vendor")

    clock.advance(hours=10)
    held = await clocks(gql, number)
    held_breached = await breached(gql)
    await transition(gql, number, "IN_PROGRESS")
    clock.advance(minutes=30)
    resumed = await clocks(gql, number)

    assert held["RESOLUTION"]["paused"] is True
    assert held["RESOLUTION"]["breached"] is False
    assert held["RESOLUTION"]["elapsedSeconds"] == 65 * 60
    assert held["RESOLUTION"]["dueAt"] is None
    assert held_breached == []
    assert resumed["RESOLUTION"]["paused"] is False
    assert resumed["RESOLUTION"]["elapsedSeconds"] == 95 * 60
    assert resumed["RESOLUTION"]["remainingSeconds"] == (240 - 95) * 60


async def test_a_p4_opened_on_friday_evening_is_due_by_the_business_calendar(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    clock.set(datetime(2026, 3, 6, 18, 30, tzinfo=UTC))  # Friday, after hours

    incident = await open_incident(gql, [ci], impact=2, urgency=3)
    now = await clocks(gql, incident["number"])

    assert incident["priority"] == "P4"
    assert now["RESPONSE"]["target"] == "1 business day"
    assert now["RESPONSE"]["dueAt"] == "2026-03-09T17:00:00+00:00"
    assert incident["slaBreachAt"] == "2026-03-09T17:00:00+00:00"
    clock.set(datetime(2026, 3, 9, 16, 59, tzinfo=UTC))
    assert await breached(gql) == []
    clock.set(datetime(2026, 3, 9, 17, 0, 1, tzinfo=UTC))
    assert await breached(gql) == [incident["number"]]
