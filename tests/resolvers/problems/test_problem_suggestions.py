"""problemSuggestions: CIs with recurring incidents in a window that ends at the clock's now,
for proactive problem management."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.graph.problems.helpers import MovableClock
from tests.resolvers.helpers import create_ci
from tests.resolvers.problems.helpers import new_problem, open_incident

SUGGESTIONS = """
query($minIncidents: Int, $days: Int) {
  problemSuggestions(minIncidents: $minIncidents, days: $days) {
    ci { id name } incidentCount incidentNumbers openProblem { number state }
  }
}
"""


async def test_suggestions_list_a_ci_with_three_incidents_in_a_week_and_not_one_with_two(
    timed_gql: GraphQLClient, clock: MovableClock
) -> None:
    gql = timed_gql
    recurring = await create_ci(gql, "orders-db", "DATABASE")
    twice = await create_ci(gql, "reports-db", "DATABASE")
    old = await open_incident(gql, "Orders slow", (recurring,))
    recent = []
    for days in (3, 2, 4):  # days 3, 5 and 9 after the first; the week ends on day 9
        clock.advance(days=days)
        recent.append(await open_incident(gql, "Orders rejected", (recurring,)))
        if len(recent) < 3:
            await open_incident(gql, "Reports late", (twice,))
    problem = (await new_problem(gql, "Leak", rootCauseCiId=recurring))["number"]

    suggested = (await gql(SUGGESTIONS))["problemSuggestions"]
    wider = (await gql(SUGGESTIONS, minIncidents=2, days=30))["problemSuggestions"]

    assert suggested == [
        {
            "ci": {"id": recurring, "name": "orders-db"},
            "incidentCount": 3,
            "incidentNumbers": recent,
            "openProblem": {"number": problem, "state": "NEW"},
        }
    ]
    assert [(s["ci"]["name"], s["incidentCount"]) for s in wider] == [
        ("orders-db", 4),
        ("reports-db", 2),
    ]
    assert old in wider[0]["incidentNumbers"] and wider[1]["openProblem"] is None


async def test_a_ci_drops_out_of_the_suggestions_when_its_incidents_age_out_of_the_window(
    timed_gql: GraphQLClient, clock: MovableClock
) -> None:
    ci_id = await create_ci(timed_gql, "orders-db", "DATABASE")
    for _ in range(3):
        await open_incident(timed_gql, "Orders rejected", (ci_id,))
    assert len((await timed_gql(SUGGESTIONS))["problemSuggestions"]) == 1

    clock.advance(days=7, seconds=1)

    assert (await timed_gql(SUGGESTIONS))["problemSuggestions"] == []


async def test_suggestions_out_of_bounds_are_a_bad_request_naming_each_argument(
    gql: GraphQLClient,
) -> None:
    refused = await gql.raw(SUGGESTIONS, minIncidents=1, days=400)

    [error] = refused["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == (
        "minIncidents: must be between 2 and 1000, got 1; days: must be between 1 and 365, got 400"
    )
