"""`incidentUpdated` through a live WebSocket: each committed write of an incident reaches the
subscriptions whose filter accepts the incident as it is after the write; a refused one
reaches none."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api import Settings
from graph import Database
from graph.events import INCIDENTS
from tests.clock import MovableClock
from tests.live import Live, http_graphql, live_server, ws_client
from tests.resolvers.incidents.helpers import a_ci, open_incident, transition

UPDATED = """
subscription($filter: IncidentUpdateFilter) {
  incidentUpdated(filter: $filter) {
    incident { number state priority affectedCiIds }
    operation actor changedFields
  }
}
"""


@pytest.fixture
async def live(
    incident_settings: Settings, db: Database, clock: MovableClock
) -> AsyncIterator[Live]:
    async with live_server(incident_settings, db, clock) as served:
        yield served


async def test_a_committed_write_reaches_the_subscriptions_whose_filter_accepts_it(
    live: Live,
) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        ci, other = await a_ci(gql), await a_ci(gql, "billing-db")
        await ws.subscribe("working", UPDATED, filter={"states": ["IN_PROGRESS"]})
        await ws.subscribe("billing", UPDATED, filter={"affectedCiIds": [other]})
        await ws.subscribe("p1", UPDATED, filter={"priorities": ["P1"]})
        await live.until_subscribed(INCIDENTS, 3)
        number = (await open_incident(gql, [ci]))["number"]  # NEW, P3, on ci: nobody's
        assert (await transition(gql, number, "IN_PROGRESS"))["errors"] == []

        working = (await ws.next_payload("working"))["incidentUpdated"]
        assert working["incident"] == {
            "number": number,
            "state": "IN_PROGRESS",
            "priority": "P3",
            "affectedCiIds": [ci],
        }
        assert working["operation"] == "transitionIncident"
        assert working["actor"] == "test-user"
        assert "state" in working["changedFields"]

        billing = await open_incident(gql, [other], impact=1, urgency=1)
        # Each subscription sends in its own time: two messages, one for each, in any order.
        heard = {}
        for _ in range(2):
            message = await ws.receive()
            heard[message["id"]] = message["payload"]["data"]["incidentUpdated"]
        assert set(heard) == {"billing", "p1"}
        for payload in heard.values():
            assert payload["incident"]["number"] == billing["number"]
            assert payload["operation"] == "createIncident"


async def test_a_refused_transition_reaches_no_subscription(live: Live) -> None:
    async with http_graphql(live.address) as gql, ws_client(live.address) as ws:
        ci = await a_ci(gql)
        number = (await open_incident(gql, [ci]))["number"]
        await ws.subscribe("all", UPDATED, filter={"numbers": [number.lower()]})
        await live.until_subscribed(INCIDENTS)

        refused = await transition(gql, number, "CLOSED")  # NEW -> CLOSED is not allowed
        assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
        assert (await transition(gql, number, "CANCELLED", note="duplicate"))["errors"] == []

        # The first event is the committed cancellation: the refusal published nothing.
        first = (await ws.next_payload("all"))["incidentUpdated"]
        assert (first["incident"]["state"], first["operation"]) == (
            "CANCELLED",
            "transitionIncident",
        )


async def test_a_filter_naming_too_many_incidents_is_refused(live: Live) -> None:
    async with ws_client(live.address) as ws:
        numbers = [f"INC{n:07d}" for n in range(101)]
        await ws.subscribe("many", UPDATED, filter={"numbers": numbers})
        assert await ws.receive() == {
            "id": "many",
            "type": "next",
            "payload": {
                "data": None,
                "errors": [
                    {
                        "message": "filter.numbers: at most 100 ids in one subscription",
                        "extensions": {"code": "BAD_USER_INPUT"},
                    }
                ],
            },
        }
        assert await ws.receive() == {"id": "many", "type": "complete"}
