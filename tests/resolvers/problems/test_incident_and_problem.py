"""An incident shows the problem that groups it and, when that problem is a known error, its
workaround, so an agent finds it while the incident is open; `incidents` lists a problem's."""

from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.problems.helpers import new_problem, open_incident, transition

INCIDENTS = """
query {
  incidents(first: 10, orderBy: {field: NUMBER, direction: ASC}) {
    edges { node { number problem { number state } knownErrorWorkaround } }
  }
}
"""

PROBLEM_INCIDENTS = """
query($number: String!) {
  incidents(first: 10, filter: {problemNumber: $number}, orderBy: {field: NUMBER}) {
    edges { node { number title state } }
  }
}
"""


async def test_an_incident_linked_to_a_known_error_shows_its_workaround(
    gql: GraphQLClient, db: Database
) -> None:
    first = await open_incident(gql, "Orders DB rejects connections")
    second = await open_incident(gql, "Orders DB rejects connections again")
    alone = await open_incident(gql, "Laptop request")
    grouped = await new_problem(
        gql,
        "Connection leak",
        incidentNumbers=[first, second],
        workaround="Restart the order service pods.",
    )
    number = grouped["number"]

    before = (await gql(INCIDENTS))["incidents"]["edges"]
    await transition(gql, number, "ROOT_CAUSE_ANALYSIS")
    await transition(gql, number, "KNOWN_ERROR")
    db.round_trips = 0
    after = (await gql(INCIDENTS))["incidents"]["edges"]
    round_trips = db.round_trips

    assert [e["node"]["knownErrorWorkaround"] for e in before] == [None, None, None]
    assert [e["node"] for e in after] == [
        {
            "number": first,
            "problem": {"number": number, "state": "KNOWN_ERROR"},
            "knownErrorWorkaround": "Restart the order service pods.",
        },
        {
            "number": second,
            "problem": {"number": number, "state": "KNOWN_ERROR"},
            "knownErrorWorkaround": "Restart the order service pods.",
        },
        {"number": alone, "problem": None, "knownErrorWorkaround": None},
    ]
    # The page, then the problems of all its incidents at once.
    assert round_trips == 2


async def test_a_problem_lists_the_incidents_it_groups(gql: GraphQLClient) -> None:
    first = await open_incident(gql, "Checkout times out")
    second = await open_incident(gql, "Checkout times out again")
    grouped = await new_problem(gql, "Slow gateway", incidentNumbers=[first, second])

    await open_incident(gql, "Unrelated")
    edges = (await gql(PROBLEM_INCIDENTS, number=grouped["number"]))["incidents"]["edges"]

    listed = [e["node"] for e in edges]
    assert [(i["number"], i["title"], i["state"]) for i in listed] == [
        (first, "Checkout times out", "NEW"),
        (second, "Checkout times out again", "NEW"),
    ]
