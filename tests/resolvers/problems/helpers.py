"""Building blocks for the problem API tests: incidents to group, and problems created and moved
through the GraphQL endpoint."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient

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

# Until the incident API lands, incidents are written as the incident repository stores them.
CREATE_INCIDENT = """
CREATE (i:Incident:Record {id: $id, number: $number, title: $title, state: $state,
    priority: 'P3', openedAt: $openedAt})
WITH i
CALL (i) {
    UNWIND $ciIds AS ciId
    MATCH (c:CI {id: ciId})
    CREATE (i)-[:AFFECTS]->(c)
}
RETURN i.number AS number
"""

COUNT_INCIDENTS = "MATCH (i:Incident) RETURN count(i) AS n"

RECORD_EVENTS = """
MATCH (:Record {number: $number})-[:HAS_EVENT]->(e:AuditEvent)
RETURN e.operation AS operation ORDER BY e.at
"""


async def open_incident(
    db: Database,
    title: str = "Checkout times out",
    ci_ids: tuple[str, ...] = (),
    opened_at: datetime | None = None,
    state: str = "NEW",
) -> str:
    """A new incident's number (INC0001001 upward, in creation order)."""
    count = (await db.read_rows("test.count", COUNT_INCIDENTS))[0]["n"]
    rows = await db.write_rows(
        "test.incident",
        CREATE_INCIDENT,
        id=str(uuid.uuid4()),
        number=f"INC{1001 + count:07d}",
        title=title,
        state=state,
        openedAt=opened_at or datetime.now(UTC),
        ciIds=list(ci_ids),
    )
    number: str = rows[0]["number"]
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
