"""Building blocks for change tests: create, move, approve and read changes through GraphQL."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

CHANGE_FIELDS = """
  id number title description type state assignee assignmentGroup implementationPlan
  backoutPlan testPlan plannedStart plannedEnd actualStart actualEnd outcome openedAt updatedAt
  createdBy updatedBy version assessedAt impactedCiIds impactedCiCount
  targets { id name }
  impactedServices { service { id name } state reason }
  transitions { from to at actor note }
  approvals { id approver decision comment at }
  requiredApprovals authorised
"""

ERRORS = " errors { field code message } "


def _mutation(name: str, input_type: str, extra: str = "") -> str:
    return (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ change {{ "
        + CHANGE_FIELDS
        + " } "
        + extra
        + ERRORS
        + "} }"
    )


CREATE = _mutation("createChange", "CreateChangeInput")
UPDATE = _mutation("updateChange", "UpdateChangeInput")
TRANSITION = _mutation("transitionChange", "TransitionChangeInput")
APPROVE = _mutation("approveChange", "ApproveChangeInput")
REJECT = _mutation("rejectChange", "RejectChangeInput")
RECOMPUTE = _mutation(
    "recomputeImpact",
    "RecomputeImpactInput",
    " difference { added { service { id name } state } removed { service { id name } state }"
    " changed { service { id name } before after } } ",
)
GET = (
    """
query($number: String!) { change(number: $number) { """
    + CHANGE_FIELDS
    + """
  history(first: 50) {
    edges { node { actor operation summary at changes { field before after } } }
  }
} }
"""
)

WINDOW = {"plannedStart": "2026-03-10T22:00:00+00:00", "plannedEnd": "2026-03-10T23:00:00+00:00"}
"""A planned window a week after the tests' clock starts."""


async def a_ci(gql: GraphQLClient, name: str = "orders-db", ci_class: str = "DATABASE") -> str:
    return await create_ci(gql, name, ci_class)


async def create_change(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    """The createChange payload for exactly `fields`."""
    data = await gql(CREATE, input=fields)
    payload: dict[str, Any] = data["createChange"]
    return payload


async def open_change(gql: GraphQLClient, targets: list[str], **fields: Any) -> dict[str, Any]:
    """Creates a NORMAL change on `targets` with the planned `WINDOW` (unless given); fails the
    test on errors; the change."""
    values: dict[str, Any] = {"title": "Patch the database", "type": "NORMAL", **WINDOW}
    payload = await create_change(gql, **{**values, **fields, "targetCiIds": targets})
    assert payload["errors"] == [], payload
    change: dict[str, Any] = payload["change"]
    return change


async def update_change(gql: GraphQLClient, number: str, **fields: Any) -> dict[str, Any]:
    data = await gql(UPDATE, input={"number": number, **fields})
    payload: dict[str, Any] = data["updateChange"]
    return payload


async def transition(gql: GraphQLClient, number: str, to: str, **fields: Any) -> dict[str, Any]:
    """The transitionChange payload."""
    data = await gql(TRANSITION, input={"number": number, "to": to, **fields})
    payload: dict[str, Any] = data["transitionChange"]
    return payload


async def approve(
    gql: GraphQLClient, number: str, comment: str | None = None, **fields: Any
) -> dict[str, Any]:
    """The approveChange payload."""
    data = await gql(APPROVE, input={"number": number, "comment": comment, **fields})
    payload: dict[str, Any] = data["approveChange"]
    return payload


async def reject(gql: GraphQLClient, number: str, comment: str | None = None) -> dict[str, Any]:
    """The rejectChange payload."""
    data = await gql(REJECT, input={"number": number, "comment": comment})
    payload: dict[str, Any] = data["rejectChange"]
    return payload


async def recompute(gql: GraphQLClient, number: str) -> dict[str, Any]:
    """The recomputeImpact payload."""
    data = await gql(RECOMPUTE, input={"number": number})
    payload: dict[str, Any] = data["recomputeImpact"]
    return payload


async def get_change(gql: GraphQLClient, number: str) -> dict[str, Any] | None:
    data = await gql(GET, number=number)
    change: dict[str, Any] | None = data["change"]
    return change


async def move(gql: GraphQLClient, number: str, *states: str, **fields: Any) -> dict[str, Any]:
    """Transitions the change through `states` in turn, failing the test on errors; the change
    after the last."""
    change: dict[str, Any] = {}
    for state in states:
        payload = await transition(gql, number, state, **fields)
        assert payload["errors"] == [], (state, payload)
        change = payload["change"]
    return change


async def scheduled(gql: GraphQLClient, targets: list[str], **fields: Any) -> dict[str, Any]:
    """A NORMAL change (unless given) on `targets`, assessed and authorised: SCHEDULED."""
    change = await open_change(gql, targets, **fields)
    if change["type"] == "STANDARD":
        return await move(gql, change["number"], "ASSESS", "SCHEDULED")
    await move(gql, change["number"], "ASSESS", "AUTHORIZE")
    payload = await approve(gql, change["number"], "fine")
    assert payload["errors"] == [], payload
    assert payload["change"]["state"] == "SCHEDULED", payload
    return dict(payload["change"])
