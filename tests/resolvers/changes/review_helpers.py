"""Building blocks for the review tests: changes implemented and closed at chosen instants,
incidents opened on CIs, and incidents linked to the changes that caused them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import move, scheduled, transition
from tests.resolvers.incidents.helpers import open_incident

LINK = """
mutation($input: LinkIncidentToChangeInput!) {
  linkIncidentToChange(input: $input) {
    incident { number causingChange { number } }
    change { number causedIncidents { number title priority state linkedBy note } }
    errors { field code message }
  }
}
"""

UNLINK = """
mutation($input: UnlinkIncidentFromChangeInput!) {
  unlinkIncidentFromChange(input: $input) {
    incident { number causingChange { number } }
    change { number causedIncidents { number } }
    errors { field code message }
  }
}
"""


async def implemented(
    gql: GraphQLClient, clock: MovableClock, targets: list[str], at: datetime, **fields: Any
) -> dict[str, Any]:
    """A change on `targets` scheduled now and moved to IMPLEMENT at `at` (the clock stays
    there); the change."""
    change = await scheduled(gql, targets, **fields)
    clock.set(at)
    return await move(gql, change["number"], "IMPLEMENT")


async def closed(
    gql: GraphQLClient,
    clock: MovableClock,
    targets: list[str],
    outcome: str,
    at: datetime,
    **fields: Any,
) -> dict[str, Any]:
    """A change implemented an hour before `at`, reviewed at `at` (its actualEnd) and closed
    with `outcome`; the clock stays at `at`."""
    change = await implemented(gql, clock, targets, at - timedelta(hours=1), **fields)
    clock.set(at)
    await move(gql, change["number"], "REVIEW")
    payload = await transition(gql, change["number"], "CLOSED", outcome=outcome)
    assert payload["errors"] == [], payload
    return dict(payload["change"])


async def link(
    gql: GraphQLClient, incident: str, change: str, note: str | None = None
) -> dict[str, Any]:
    """The linkIncidentToChange payload."""
    variables = {"incidentNumber": incident, "changeNumber": change, "note": note}
    data = await gql(LINK, input=variables)
    payload: dict[str, Any] = data["linkIncidentToChange"]
    return payload


async def unlink(gql: GraphQLClient, incident: str, change: str) -> dict[str, Any]:
    data = await gql(UNLINK, input={"incidentNumber": incident, "changeNumber": change})
    payload: dict[str, Any] = data["unlinkIncidentFromChange"]
    return payload


async def caused_incident(
    gql: GraphQLClient, change: str, affected: list[str], impact: int, urgency: int
) -> str:
    """An incident of the given impact and urgency, linked as caused by `change`; its number."""
    incident = await open_incident(gql, affected, impact=impact, urgency=urgency)
    payload = await link(gql, incident["number"], change)
    assert payload["errors"] == [], payload
    number: str = incident["number"]
    return number
