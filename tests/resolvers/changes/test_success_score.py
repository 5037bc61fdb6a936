"""Change success scores through GraphQL on a constructed history, with exact figures: per
assignment group, change type and CI, over the changes closed in a period."""

from __future__ import annotations

from datetime import timedelta

from graph import Database
from graph.changes import success_score_of
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import START
from tests.resolvers.changes.helpers import a_ci
from tests.resolvers.changes.review_helpers import caused_incident, closed

DAY = START + timedelta(days=8)
PERIOD = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}

SCORES = """
query($groupBy: SuccessGroupBy!, $from: DateTime!, $to: DateTime!) {
  changeSuccessScores(groupBy: $groupBy, from: $from, to: $to) {
    key score points changes successful withIssues failed backedOut
    causedIncidents { P1 P2 P3 }
    ci { name }
  }
}
"""


async def history(gql: GraphQLClient, clock: MovableClock) -> tuple[str, str]:
    """Database team: successful (no incident), successful with issues (a P3), failed (a P1
    and a P2). Network team: successful, backed out. One change closed in April."""
    db_ci, switch = await a_ci(gql), await a_ci(gql, "core-switch", "NETWORK_DEVICE")
    db = {"assignmentGroup": "database-team"}
    net = {"assignmentGroup": "network-team", "type": "STANDARD"}
    await closed(gql, clock, [db_ci], "SUCCESSFUL", DAY, **db)
    issues = await closed(gql, clock, [db_ci], "SUCCESSFUL_WITH_ISSUES", DAY.replace(hour=14), **db)
    await caused_incident(gql, issues["number"], [db_ci], impact=3, urgency=1)
    failed = await closed(gql, clock, [db_ci, switch], "FAILED", DAY.replace(hour=18), **db)
    await caused_incident(gql, failed["number"], [db_ci], impact=1, urgency=1)
    await caused_incident(gql, failed["number"], [db_ci], impact=1, urgency=2)
    await closed(gql, clock, [switch], "SUCCESSFUL", DAY + timedelta(days=1), **net)
    await closed(gql, clock, [switch], "BACKED_OUT", DAY + timedelta(days=2), **net)
    await closed(gql, clock, [switch], "FAILED", START + timedelta(days=40), **net)
    return db_ci, switch


async def test_scores_per_assignment_group_are_exact_and_lowest_first(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    await history(gql, clock)

    data = await gql(SCORES, groupBy="ASSIGNMENT_GROUP", **PERIOD)

    # Database team: points 3, -2 - 2, -5 - 10 - 5 -> normalised 18/18, 11/18, 0 -> 53.7.
    # Network team: 3 and -5 -> 18/18 and 10/18 -> 77.8 (the April change is outside).
    assert data["changeSuccessScores"] == [
        {
            "key": "database-team",
            "score": 53.7,
            "points": 3 - 4 - 20,
            "changes": 3,
            "successful": 1,
            "withIssues": 1,
            "failed": 1,
            "backedOut": 0,
            "causedIncidents": {"P1": 1, "P2": 1, "P3": 1},
            "ci": None,
        },
        {
            "key": "network-team",
            "score": 77.8,
            "points": -2,
            "changes": 2,
            "successful": 1,
            "withIssues": 0,
            "failed": 0,
            "backedOut": 1,
            "causedIncidents": {"P1": 0, "P2": 0, "P3": 0},
            "ci": None,
        },
    ]


async def test_scores_per_type_and_per_ci_count_a_change_under_each_target(
    gql: GraphQLClient, clock: MovableClock, db: Database
) -> None:
    db_ci, switch = await history(gql, clock)

    by_type = (await gql(SCORES, groupBy="CHANGE_TYPE", **PERIOD))["changeSuccessScores"]
    by_ci = (await gql(SCORES, groupBy="CI", **PERIOD))["changeSuccessScores"]

    assert [(s["key"], s["changes"], s["score"]) for s in by_type] == [
        ("NORMAL", 3, 53.7),
        ("STANDARD", 2, 77.8),
    ]
    # The switch: the failed database change (0), successful (100), backed out (55.6).
    assert [(s["ci"]["name"], s["changes"], s["score"]) for s in by_ci] == [
        ("core-switch", 3, 51.9),
        ("orders-db", 3, 53.7),
    ]
    assert {s["key"] for s in by_ci} == {db_ci, switch}
    # What risk reads of a target's history: every closed change on it, April's failed one
    # included: (0 + 18 + 10 + 10) / 18 / 4 -> 52.8.
    on_switch = await success_score_of(db, ci_ids=[switch])
    assert (on_switch.changes, on_switch.failed, on_switch.score) == (4, 2, 52.8)
    team = await success_score_of(db, assignment_group="database-team")
    assert (team.changes, team.score) == (3, 53.7)


async def test_an_empty_or_reversed_period_is_a_bad_request(gql: GraphQLClient) -> None:
    body = await gql.raw(SCORES, groupBy="CI", **{"from": PERIOD["to"], "to": PERIOD["from"]})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "to: must be after `from`"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
