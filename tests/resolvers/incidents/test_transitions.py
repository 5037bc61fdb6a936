"""Moving incidents between states: exactly the allowed transitions, recorded with who, when
and why; a refused one writes nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import a_ci, get, open_incident, transition, update

# The path that reaches each state from NEW, by allowed transitions.
PATH_TO = {
    "NEW": [],
    "IN_PROGRESS": ["IN_PROGRESS"],
    "ON_HOLD": ["IN_PROGRESS", "ON_HOLD"],
    "RESOLVED": ["RESOLVED"],
    "CLOSED": ["RESOLVED", "CLOSED"],
    "CANCELLED": ["CANCELLED"],
}
ALLOWED = [
    ("NEW", "IN_PROGRESS"),
    ("NEW", "RESOLVED"),
    ("NEW", "CANCELLED"),
    ("IN_PROGRESS", "ON_HOLD"),
    ("IN_PROGRESS", "RESOLVED"),
    ("IN_PROGRESS", "CANCELLED"),
    ("ON_HOLD", "IN_PROGRESS"),
    ("ON_HOLD", "CANCELLED"),
    ("RESOLVED", "CLOSED"),
    ("RESOLVED", "IN_PROGRESS"),
]
REFUSED = [
    ("NEW", "ON_HOLD", "IN_PROGRESS, RESOLVED, CANCELLED"),
    ("NEW", "CLOSED", "IN_PROGRESS, RESOLVED, CANCELLED"),
    ("ON_HOLD", "RESOLVED", "IN_PROGRESS, CANCELLED"),
    ("RESOLVED", "CANCELLED", "CLOSED, IN_PROGRESS"),
    ("CLOSED", "IN_PROGRESS", "none: the incident is CLOSED"),
    ("CANCELLED", "NEW", "none: the incident is CANCELLED"),
]
RESOLUTION = {"resolution": "restarted the pool"}


async def incident_in(gql: GraphQLClient, state: str) -> str:
    ci = await a_ci(gql)
    number: str = (await open_incident(gql, [ci]))["number"]
    for to in PATH_TO[state]:
        extra = RESOLUTION if to == "RESOLVED" else {}
        payload = await transition(gql, number, to, **extra)
        assert payload["errors"] == [], payload
    return number


@pytest.mark.parametrize(("start", "to"), ALLOWED)
async def test_every_allowed_transition_moves_the_incident_and_records_it(
    gql: GraphQLClient, clock: MovableClock, start: str, to: str
) -> None:
    number = await incident_in(gql, start)
    at = clock.advance(minutes=5)

    extra = RESOLUTION if to == "RESOLVED" else {}
    payload = await transition(gql, number, to, note="by the book", **extra)

    assert payload["errors"] == []
    incident = payload["incident"]
    assert incident["state"] == to
    assert incident["transitions"][-1] == {
        "from": start,
        "to": to,
        "at": at.isoformat(),
        "actor": "test-user",
        "note": "by the book",
    }
    assert len(incident["transitions"]) == len(PATH_TO[start]) + 1


@pytest.mark.parametrize(("start", "to", "allowed"), REFUSED)
async def test_a_transition_not_allowed_is_refused_naming_the_allowed_ones_and_writes_nothing(
    gql: GraphQLClient, start: str, to: str, allowed: str
) -> None:
    number = await incident_in(gql, start)
    before = await get(gql, number)

    payload = await transition(gql, number, to, **RESOLUTION)

    assert payload["incident"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("to", "INVALID_TRANSITION")
    assert error["message"].endswith(f"allowed: {allowed}")
    assert f"from {start} to {to}" in error["message"]
    assert await get(gql, number) == before


async def test_resolving_needs_a_resolution(gql: GraphQLClient) -> None:
    number = await incident_in(gql, "IN_PROGRESS")

    payload = await transition(gql, number, "RESOLVED", note="done")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("resolution", "REQUIRED")]
    assert (await get(gql, number))["state"] == "IN_PROGRESS"


async def test_transitions_set_the_timestamps_of_response_resolution_and_closure(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    number = await incident_in(gql, "NEW")
    responded = clock.advance(minutes=3)
    await transition(gql, number, "IN_PROGRESS")
    resolved = clock.advance(hours=1)
    await transition(gql, number, "RESOLVED", workaround="failover", **RESOLUTION)
    closed = clock.advance(days=1)

    incident = (await transition(gql, number, "CLOSED"))["incident"]

    assert incident["respondedAt"] == responded.isoformat()
    assert incident["resolvedAt"] == resolved.isoformat()
    assert incident["closedAt"] == closed.isoformat()
    assert (incident["resolution"], incident["workaround"]) == ("restarted the pool", "failover")
    assert incident["version"] == 4


async def test_the_history_shows_each_transition_with_actor_and_note(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    number = await incident_in(gql, "NEW")
    clock.advance(minutes=1)
    await transition(gql, number, "IN_PROGRESS", note="looking")
    clock.advance(minutes=1)
    await transition(gql, number, "ON_HOLD", note="waiting for the vendor")

    history = [e["node"] for e in (await get(gql, number))["history"]["edges"]]

    assert [(e["operation"], e["actor"], e["summary"]) for e in history] == [
        (
            "transitionIncident",
            "test-user",
            f"{number} IN_PROGRESS -> ON_HOLD: waiting for the vendor",
        ),
        ("transitionIncident", "test-user", f"{number} NEW -> IN_PROGRESS: looking"),
        ("createIncident", "test-user", f"{number} opened: Checkout fails"),
    ]
    assert history[0]["changes"] == [
        {"field": "state", "before": '"IN_PROGRESS"', "after": '"ON_HOLD"'}
    ]


async def test_ten_concurrent_transitions_from_new_let_one_through(
    gql: GraphQLClient, db: Database
) -> None:
    number = await incident_in(gql, "NEW")

    payloads = await asyncio.gather(
        *(transition(gql, number, "IN_PROGRESS", note=f"agent {n}") for n in range(10))
    )

    succeeded = [p for p in payloads if p["errors"] == []]
    refused = [p for p in payloads if p["errors"]]
    assert len(succeeded) == 1 and len(refused) == 9
    assert {e["code"] for p in refused for e in p["errors"]} == {"INVALID_TRANSITION"}
    incident = await get(gql, number)
    assert [t["to"] for t in incident["transitions"]] == ["IN_PROGRESS"]
    assert incident["version"] == 2
    rows = await db.read_rows(
        "t", "MATCH (:Incident {number: $n})-[:HAS_TRANSITION]->(t) RETURN count(t) AS n", n=number
    )
    assert rows == [{"n": 1}]


async def test_concurrent_updates_at_one_version_let_one_through_and_refuse_the_rest(
    gql: GraphQLClient,
) -> None:
    number = await incident_in(gql, "NEW")

    payloads: list[dict[str, Any]] = await asyncio.gather(
        *(update(gql, number, expectedVersion=1, assignee=f"agent-{n}") for n in range(10))
    )

    winners = [p for p in payloads if p["errors"] == []]
    assert len(winners) == 1
    codes = [(e["field"], e["code"]) for p in payloads if p["errors"] for e in p["errors"]]
    assert codes == [("expectedVersion", "CONFLICT")] * 9
    incident = await get(gql, number)
    assert incident["version"] == 2
    assert incident["assignee"] == winners[0]["incident"]["assignee"]


async def test_an_update_changes_only_the_fields_given_and_recomputes_the_priority(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    number = await incident_in(gql, "NEW")
    at = clock.advance(minutes=2)

    payload = await update(gql, number, expectedVersion=1, impact=1, urgency=1, assignee="bob")

    assert payload["errors"] == []
    incident = payload["incident"]
    assert (incident["priority"], incident["assignee"], incident["title"]) == (
        "P1",
        "bob",
        "Checkout fails",
    )
    assert (incident["version"], incident["updatedAt"]) == (2, at.isoformat())
    [event] = [
        e["node"]
        for e in (await get(gql, number))["history"]["edges"]
        if e["node"]["operation"] == "updateIncident"
    ]
    assert {c["field"] for c in event["changes"]} == {
        "assignee",
        "impact",
        "urgency",
        "priority",
        "priorityRank",
    }


async def test_an_update_of_an_unknown_incident_is_not_found(gql: GraphQLClient) -> None:
    payload = await update(gql, "INC0009999", title="x")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("number", "NOT_FOUND")]
