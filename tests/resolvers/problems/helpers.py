"""Building blocks for the problem API tests: incidents to group, and problems created and moved
through the GraphQL endpoint."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

PROBLEM_FIELDS = """
id number title description state workaround knownError incidentNumbers
openedAt updatedAt resolvedAt closedAt createdBy updatedBy version
rootCause { id name }
transitions { from to at actor note }
"""

CREATE_PROBLEM = (
    """
mutation($input: CreateProblemInput!) {
  createProblem(input: $input) { problem { """
    + PROBLEM_FIELDS
    + """ } errors { field code message } }
}
"""
)

TRANSITION_PROBLEM = (
    """
mutation($input: TransitionProblemInput!) {
  transitionProblem(input: $input) { problem { """
    + PROBLEM_FIELDS
    + """ } errors { field code message } }
}
"""
)

PROBLEM = (
    """
query($number: String!) {
  problem(number: $number) { """
    + PROBLEM_FIELDS
    + """ history { edges { node { operation summary actor changes { field before after } } } } }
}
"""
)

CREATE_INCIDENT = """
mutation($input: CreateIncidentInput!) {
  createIncident(input: $input) { incident { number } errors { field code message } }
}
"""

RECORD_EVENTS = """
MATCH (:Record {number: $number})-[:HAS_EVENT]->(e:AuditEvent)
RETURN e.operation AS operation ORDER BY e.at
"""


async def open_incident(
    gql: GraphQLClient, title: str = "Checkout times out", ci_ids: tuple[str, ...] = ()
) -> str:
    """A new incident's number, affecting `ci_ids` (a new CI of its own when none is given)."""
    affected = list(ci_ids) or [await create_ci(gql, f"{title} CI", "APPLICATION")]
    data = await gql(
        CREATE_INCIDENT,
        input={
            "title": title,
            "category": "APPLICATION",
            "impact": 2,
            "urgency": 2,
            "affectedCiIds": affected,
        },
    )
    assert data["createIncident"]["errors"] == [], data
    number: str = data["createIncident"]["incident"]["number"]
    return number


async def record_events(db: Database, number: str) -> list[str]:
    """The operations of the audit events hanging off the record (incident or problem)."""
    rows = await db.read_rows("test.events", RECORD_EVENTS, number=number)
    return [row["operation"] for row in rows]


async def create_problem(gql: GraphQLClient, title: str = "Pool exhausted", **fields: Any) -> Any:
    """The payload of `createProblem`."""
    data = await gql(CREATE_PROBLEM, input={"title": title, **fields})
    return data["createProblem"]


async def new_problem(gql: GraphQLClient, title: str = "Pool exhausted", **fields: Any) -> Any:
    """A created problem; fails the test when refused."""
    created = await create_problem(gql, title, **fields)
    assert created["errors"] == [], created
    return created["problem"]


async def transition(gql: GraphQLClient, number: str, to: str, note: str | None = None) -> Any:
    """The payload of `transitionProblem`."""
    data = await gql(TRANSITION_PROBLEM, input={"number": number, "to": to, "note": note})
    return data["transitionProblem"]


async def problem(gql: GraphQLClient, number: str) -> Any:
    return (await gql(PROBLEM, number=number))["problem"]
