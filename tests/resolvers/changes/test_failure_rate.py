"""The change failure rate of a period through GraphQL, with exact figures: failed, backed-out
and incident-causing changes over every change closed in it, in one round trip."""

from __future__ import annotations

from datetime import timedelta

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import START
from tests.resolvers.changes.helpers import a_ci
from tests.resolvers.changes.review_helpers import caused_incident, closed, implemented

DAY = START + timedelta(days=8)

RATE = """
query($from: DateTime!, $to: DateTime!) {
  changeFailureRate(from: $from, to: $to) { rate failed total changes { number outcome } }
}
"""


async def test_failed_backed_out_and_incident_causing_changes_fail_the_rate(
    gql: GraphQLClient, clock: MovableClock, db: Database
) -> None:
    ci = await a_ci(gql)
    ok = await closed(gql, clock, [ci], "SUCCESSFUL", DAY)
    issues = await closed(gql, clock, [ci], "SUCCESSFUL_WITH_ISSUES", DAY.replace(hour=12))
    causing = await closed(gql, clock, [ci], "SUCCESSFUL", DAY.replace(hour=14))
    await caused_incident(gql, causing["number"], [ci], impact=3, urgency=3)
    failed = await closed(gql, clock, [ci], "FAILED", DAY.replace(hour=16))
    backed = await closed(gql, clock, [ci], "BACKED_OUT", DAY.replace(hour=18))
    await closed(gql, clock, [ci], "FAILED", DAY + timedelta(days=30))
    await implemented(gql, clock, [ci], DAY.replace(hour=20))

    before = db.round_trips
    data = await gql(RATE, **{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"})

    assert db.round_trips - before == 1
    assert data["changeFailureRate"] == {
        "rate": 0.6,
        "failed": 3,
        "total": 5,
        "changes": [
            {"number": causing["number"], "outcome": "SUCCESSFUL"},
            {"number": failed["number"], "outcome": "FAILED"},
            {"number": backed["number"], "outcome": "BACKED_OUT"},
        ],
    }
    assert ok["number"] < issues["number"] < causing["number"]


async def test_a_period_without_closed_changes_has_no_rate(gql: GraphQLClient) -> None:
    data = await gql(RATE, **{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"})
    assert data["changeFailureRate"] == {"rate": None, "failed": 0, "total": 0, "changes": []}
