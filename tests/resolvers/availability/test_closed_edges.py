"""An edge counts until it is closed: a failure below it stops touching the service from the
instant the edge closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.availability.helpers import AVAILABILITY, shop
from tests.resolvers.incidents.helpers import open_incident, transition

UNRELATE = """
mutation($from: ID!, $to: ID!) {
  unrelateCIs(input: {from: $from, to: $to, type: DEPENDS_ON}) {
    relationship { validTo } errors { message }
  }
}
"""


async def test_a_failure_below_an_edge_stops_counting_when_the_edge_closes(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ids = await shop(gql)
    closed = (await gql(UNRELATE, **{"from": ids["shop"], "to": ids["db"]}))["unrelateCIs"]
    assert closed["errors"] == []
    edge_end = datetime.fromisoformat(closed["relationship"]["validTo"])
    clock.set(edge_end - timedelta(hours=2))
    number = (await open_incident(gql, [ids["db"]], causesOutage=True))["number"]
    clock.set(edge_end + timedelta(hours=2))
    assert (await transition(gql, number, "RESOLVED", resolution="fixed"))["errors"] == []
    clock.set(edge_end + timedelta(days=1))

    period = {"from": (edge_end - timedelta(hours=3)).isoformat()}
    period["to"] = (edge_end + timedelta(hours=3)).isoformat()
    found = (await gql(AVAILABILITY, id=ids["shop"], **period))["serviceAvailability"]

    assert found["outages"] == [
        {
            "start": (edge_end - timedelta(hours=2)).isoformat(),
            "end": edge_end.isoformat(),
            "causes": [{"number": number}],
        }
    ]
    assert found["downtimeSeconds"] == 7200.0
    assert found["availabilityPercent"] == 100 * (1 - 7200 / 21600)
