"""Incidents caused by changes, through GraphQL: linking and unlinking with events on both
records, every refusal writing nothing, and two links of one incident at once leaving one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import START
from tests.resolvers.changes.helpers import a_ci, get_change, move, scheduled
from tests.resolvers.changes.review_helpers import implemented, link, unlink
from tests.resolvers.incidents.helpers import get, open_incident

LATER = START + timedelta(days=8)


async def test_an_incident_linked_to_its_change_shows_on_both_with_events(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db_ci = await a_ci(gql)
    change = await implemented(gql, clock, [db_ci], LATER)
    clock.advance(minutes=30)
    incident = await open_incident(gql, [db_ci], impact=1, urgency=1)

    payload = await link(gql, incident["number"], change["number"], "  the patch broke it ")

    assert payload["errors"] == []
    assert payload["incident"] == {
        "number": incident["number"],
        "causingChange": {"number": change["number"]},
    }
    assert payload["change"]["causedIncidents"] == [
        {
            "number": incident["number"],
            "title": "Checkout fails",
            "priority": "P1",
            "state": "NEW",
            "linkedBy": "test-user",
            "note": "the patch broke it",
        }
    ]
    incident_events = (await get(gql, incident["number"]))["history"]["edges"]
    change_events = (await get_change(gql, change["number"]) or {})["history"]["edges"]
    for events in (incident_events, change_events):
        [event] = [e["node"] for e in events if e["node"]["operation"] == "linkIncidentToChange"]
        assert event["summary"] == (
            f"{incident['number']} caused by {change['number']}: the patch broke it"
        )
        assert event["changes"] == [
            {"field": "causingChange", "before": None, "after": f'"{change["number"]}"'}
        ]
    # Linking it again to the same change writes nothing more.
    again = await link(gql, incident["number"], change["number"])
    assert again["errors"] == []
    events = (await get(gql, incident["number"]))["history"]["edges"]
    assert sum(e["node"]["operation"] == "linkIncidentToChange" for e in events) == 1


async def test_unlinking_takes_the_link_back_and_records_it(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db_ci = await a_ci(gql)
    change = await implemented(gql, clock, [db_ci], LATER)
    incident = await open_incident(gql, [db_ci])
    assert (await link(gql, incident["number"], change["number"]))["errors"] == []

    payload = await unlink(gql, incident["number"], change["number"])

    assert payload["errors"] == []
    assert payload["incident"]["causingChange"] is None
    assert payload["change"]["causedIncidents"] == []
    events = (await get(gql, incident["number"]))["history"]["edges"]
    [event] = [e["node"] for e in events if e["node"]["operation"] == "unlinkIncidentFromChange"]
    assert event["summary"] == f"{incident['number']} no longer caused by {change['number']}"
    refused = await unlink(gql, incident["number"], change["number"])
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("incidentNumber", "NOT_FOUND")]


async def test_links_are_refused_with_typed_errors_and_write_nothing(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db_ci = await a_ci(gql)
    planned = await scheduled(gql, [db_ci])
    early = await open_incident(gql, [db_ci])
    first = await implemented(gql, clock, [db_ci], LATER)
    second = await implemented(gql, clock, [db_ci], LATER + timedelta(minutes=5))
    clock.advance(minutes=10)
    incident = await open_incident(gql, [db_ci])
    assert (await link(gql, incident["number"], first["number"]))["errors"] == []

    def errors(payload: dict[str, object]) -> list[tuple[object, object]]:
        assert payload["incident"] is None and payload["change"] is None
        found = payload["errors"]
        assert isinstance(found, list)
        return [(e["field"], e["code"]) for e in found]

    assert errors(await link(gql, "INC0999999", first["number"])) == [
        ("incidentNumber", "NOT_FOUND")
    ]
    assert errors(await link(gql, incident["number"], "CHG0999999")) == [
        ("changeNumber", "NOT_FOUND")
    ]
    assert errors(await link(gql, incident["number"], planned["number"])) == [
        ("changeNumber", "CONFLICT")
    ]
    assert errors(await link(gql, early["number"], second["number"])) == [
        ("incidentNumber", "CONFLICT")
    ]
    other = await link(gql, incident["number"], second["number"])
    assert errors(other) == [("incidentNumber", "CONFLICT")]
    assert first["number"] in other["errors"][0]["message"]
    assert errors(await link(gql, incident["number"], first["number"], "x" * 2001)) == [
        ("note", "TOO_LONG")
    ]
    still = await get(gql, incident["number"])
    assert (
        sum(e["node"]["operation"] == "linkIncidentToChange" for e in still["history"]["edges"])
        == 1
    )
    assert (await get_change(gql, second["number"]) or {})["history"]["edges"][0]["node"][
        "operation"
    ] != "linkIncidentToChange"


async def test_two_links_of_one_incident_at_once_leave_one_winner(
    gql: GraphQLClient, clock: MovableClock, db: Database
) -> None:
    db_ci = await a_ci(gql)
    first = await implemented(gql, clock, [db_ci], LATER)
    second = await implemented(gql, clock, [db_ci], LATER + timedelta(minutes=1))
    incident = await open_incident(gql, [db_ci])

    outcomes = await asyncio.gather(
        link(gql, incident["number"], first["number"]),
        link(gql, incident["number"], second["number"]),
    )

    won = [p for p in outcomes if p["errors"] == []]
    lost = [p for p in outcomes if p["errors"]]
    assert len(won) == 1 and len(lost) == 1
    assert [e["code"] for e in lost[0]["errors"]] == ["CONFLICT"]
    winner = won[0]["change"]["number"]
    rows = await db.write_rows(
        "test",
        "MATCH (:Incident {number: $n})-[r:CAUSED_BY]->(c:Change) RETURN c.number AS number",
        n=incident["number"],
    )
    assert [r["number"] for r in rows] == [winner]


async def test_many_incidents_linked_to_one_change_at_once_are_all_kept(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db_ci = await a_ci(gql)
    change = await implemented(gql, clock, [db_ci], LATER)
    numbers = [(await open_incident(gql, [db_ci]))["number"] for _ in range(5)]

    outcomes = await asyncio.gather(*(link(gql, n, change["number"]) for n in numbers))

    assert all(p["errors"] == [] for p in outcomes)
    found = await get_change(gql, change["number"])
    assert found is not None
    closed_later = await move(gql, change["number"], "REVIEW")
    assert closed_later["state"] == "REVIEW"
    data = await gql(
        "query($n: String!) { change(number: $n) { causedIncidents { number } } }",
        n=change["number"],
    )
    assert [c["number"] for c in data["change"]["causedIncidents"]] == sorted(numbers)
