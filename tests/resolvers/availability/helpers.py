"""Histories with exact times for the availability tests: incidents opened and moved at given
hours after the incident tests' start (a Monday, 10:00 UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.conftest import START
from tests.resolvers.incidents.helpers import open_incident, transition
from tests.resolvers.topology import build

AVAILABILITY = """
query($id: ID!, $from: DateTime!, $to: DateTime!) {
  serviceAvailability(serviceId: $id, from: $from, to: $to) {
    availabilityPercent outageCount downtimeSeconds degradedSeconds mttrSeconds mtbfSeconds
    target met outages { start end causes { number } }
  }
}
"""


def hour(h: float) -> datetime:
    return START + timedelta(hours=h)


def iso(h: float) -> str:
    return hour(h).isoformat()


async def shop(gql: GraphQLClient) -> dict[str, str]:
    """shop -> app -> a pool of three web servers (two needed) and shop -> db."""
    return await build(
        gql,
        {
            "shop": "BUSINESS_SERVICE",
            "app": "APPLICATION",
            "db": "DATABASE",
            "web1": "SERVER",
            "web2": "SERVER",
            "web3": "SERVER",
        },
        [
            ("shop", "app", "DEPENDS_ON"),
            ("shop", "db", "DEPENDS_ON"),
            ("app", "web1", "RUNS_ON", "web", 2),
            ("app", "web2", "RUNS_ON", "web", 2),
            ("app", "web3", "RUNS_ON", "web", 2),
        ],
    )


async def incident(
    gql: GraphQLClient,
    clock: MovableClock,
    ci: str,
    opened: float,
    *moves: tuple[str, float],
    causes_outage: bool = True,
) -> str:
    """Opens an incident on `ci` at hour `opened`, then makes each (state, hour) move."""
    clock.set(hour(opened))
    number: str = (await open_incident(gql, [ci], causesOutage=causes_outage))["number"]
    for to, at in moves:
        clock.set(hour(at))
        extra = {"resolution": "fixed"} if to == "RESOLVED" else {}
        payload = await transition(gql, number, to, **extra)
        assert payload["errors"] == [], payload
    return number


async def availability(
    gql: GraphQLClient, clock: MovableClock, service: str, start: float, end: float
) -> dict[str, Any]:
    clock.set(hour(48))
    data = await gql(AVAILABILITY, id=service, **{"from": iso(start), "to": iso(end)})
    found: dict[str, Any] = data["serviceAvailability"]
    return found


def outage(start: float, end: float, *numbers: str) -> dict[str, Any]:
    return {"start": iso(start), "end": iso(end), "causes": [{"number": n} for n in numbers]}
