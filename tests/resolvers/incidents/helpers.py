"""Building blocks for incident tests: open, change and read incidents through GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

INCIDENT_FIELDS = """
  id number title description category impact urgency priority state assignmentGroup assignee
  causesOutage workaround resolution major majorReason openedAt updatedAt respondedAt
  resolvedAt closedAt createdBy updatedBy version slaBreachAt affectedCiIds
  transitions { from to at actor note }
  impactedServices { service { id name } state reason source addedBy addedAt }
  excludedServices { service { id name } reason by at }
"""

CREATE = (
    """
mutation($input: CreateIncidentInput!) {
  createIncident(input: $input) { incident { """
    + INCIDENT_FIELDS
    + """ } errors { field code message } }
}
"""
)

UPDATE = (
    """
mutation($input: UpdateIncidentInput!) {
  updateIncident(input: $input) { incident { """
    + INCIDENT_FIELDS
    + """ } errors { field code message } }
}
"""
)

TRANSITION = (
    """
mutation($input: TransitionIncidentInput!) {
  transitionIncident(input: $input) { incident { """
    + INCIDENT_FIELDS
    + """ } errors { field code message } }
}
"""
)

GET = (
    """
query($number: String!) { incident(number: $number) { """
    + INCIDENT_FIELDS
    + """
  history(first: 50) {
    edges { node { actor operation summary at changes { field before after } } }
  }
} }
"""
)


async def a_ci(gql: GraphQLClient, name: str = "orders-db", ci_class: str = "DATABASE") -> str:
    return await create_ci(gql, name, ci_class)


async def open_incident(gql: GraphQLClient, affected: list[str], **fields: Any) -> dict[str, Any]:
    """Creates an incident (APPLICATION, impact 2, urgency 2 unless given); fails on errors."""
    values = {"title": "Checkout fails", "category": "APPLICATION", "impact": 2, "urgency": 2}
    data = await gql(CREATE, input={**values, **fields, "affectedCiIds": affected})
    payload = data["createIncident"]
    assert payload["errors"] == [], payload
    incident: dict[str, Any] = payload["incident"]
    return incident


async def create(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """The createIncident payload for exactly `fields`."""
    data = await gql(CREATE, input=fields)
    payload: dict[str, Any] = data["createIncident"]
    return payload


async def transition(gql: GraphQLClient, number: str, to: str, **fields: Any) -> dict[str, Any]:
    data = await gql(TRANSITION, input={"number": number, "to": to, **fields})
    payload: dict[str, Any] = data["transitionIncident"]
    return payload


async def update(gql: GraphQLClient, number: str, **fields: Any) -> dict[str, Any]:
    data = await gql(UPDATE, input={"number": number, **fields})
    payload: dict[str, Any] = data["updateIncident"]
    return payload


async def get(gql: GraphQLClient, number: str) -> dict[str, Any]:
    data = await gql(GET, number=number)
    incident: dict[str, Any] = data["incident"]
    return incident
