"""The demo's business services as the UI tests need them, read through the public API: the
list, one service's answers (single points of failure, recovery order, cost), and a service that
is up now with a CI whose failure alone takes it down (for the live tests)."""

from __future__ import annotations

from typing import Any

from tests.live import Live, http_graphql

SERVICES = """
{ cis(filter: {classes: [BUSINESS_SERVICE]}, first: 100) { edges { node {
    id name ... on BusinessService { serviceLevel { availabilityTarget } }
} } } }
"""
SERVICE = """
query($id: ID!) {
  singlePointsOfFailure(serviceId: $id) { id name }
  recoveryOrder(serviceId: $id) { steps { cis { id name } } }
  serviceCost(serviceId: $id) { total }
}
"""
OPEN_OUTAGES = """
{ incidents(filter: {states: [NEW, IN_PROGRESS, ON_HOLD]}, first: 100) { edges { node {
    causesOutage affectedCiIds
} } } }
"""
STATES = """
query($failed: [ID!]!) {
  simulateOutage(ciIds: $failed, includeOperational: true) {
    services(first: 200) { edges { node { service { id } state } } }
  }
}
"""
CREATE_OUTAGE = """
# An incident that takes its CI down (impact 1, urgency 1).
mutation($ci: ID!) {
  createIncident(input: {title: "Power lost in the rack", category: HARDWARE, impact: 1,
                         urgency: 1, affectedCiIds: [$ci]}) {
    incident { number }
    errors { message }
  }
}
"""


async def business_services(live: Live) -> list[dict[str, Any]]:
    async with http_graphql(live.address) as gql:
        data = await gql(SERVICES)
    return [edge["node"] for edge in data["cis"]["edges"]]


async def service_answers(live: Live, service_id: str) -> dict[str, Any]:
    async with http_graphql(live.address) as gql:
        return await gql(SERVICE, id=service_id)


async def operational_service_with_spof(live: Live) -> tuple[dict[str, Any], dict[str, Any]]:
    """A business service OPERATIONAL now (with every CI of the open outage-causing incidents
    failed) and one of its single points of failure, `(service, spof)`, each `{id, name}`."""
    async with http_graphql(live.address) as gql:
        incidents = await gql(OPEN_OUTAGES)
        failed = sorted(
            {
                ci
                for edge in incidents["incidents"]["edges"]
                if edge["node"]["causesOutage"]
                for ci in edge["node"]["affectedCiIds"]
            }
        )
        states = await gql(STATES, failed=failed)
    state_of = {
        edge["node"]["service"]["id"]: edge["node"]["state"]
        for edge in states["simulateOutage"]["services"]["edges"]
    }
    for service in await business_services(live):
        if state_of.get(service["id"]) == "OPERATIONAL":
            answers = await service_answers(live, service["id"])
            if answers["singlePointsOfFailure"]:
                return service, answers["singlePointsOfFailure"][0]
    raise AssertionError(f"no business service up now has a single point of failure: {state_of}")
