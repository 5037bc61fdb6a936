"""`importIncidents`: history from the tool being replaced, through the GraphQL API (the
incident tests' app: a movable clock, SLA calendar 09:00-17:00 Monday to Friday, UTC)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import GET, a_ci
from tests.resolvers.topology import build

IMPORT = """
mutation($input: ImportIncidentsInput!) {
  importIncidents(input: $input) {
    created unchanged
    incidents { externalId number }
    errors { field code message }
  }
}
"""

SLA = """
query($number: String!) {
  incident(number: $number) {
    number state priority openedAt createdBy
    transitions { from to at actor note }
    impactedServices { service { name } state source }
    sla { kind breached paused remainingSeconds }
  }
}
"""

LIST = """
query($breached: Boolean) {
  incidents(first: 50, filter: {breached: $breached}, orderBy: {field: NUMBER, direction: ASC}) {
    edges { node { number } }
  }
}
"""


def _row(external_id: str, affected: list[str], opened: str, **fields: Any) -> dict[str, Any]:
    return {
        "externalId": external_id,
        "title": f"Imported {external_id}",
        "category": "APPLICATION",
        "impact": 2,
        "urgency": 2,
        "affectedCiIds": affected,
        "openedAt": opened,
        **fields,
    }


async def _import(gql: GraphQLClient, rows: list[dict[str, Any]], **fields: Any) -> Any:
    data = await gql(IMPORT, input={"source": "old-tool", "incidents": rows, **fields})
    return data["importIncidents"]


async def test_an_imported_p1_still_new_after_two_hours_is_breached_on_response_only(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db = await a_ci(gql)
    opened = (clock.now() - timedelta(hours=2)).isoformat()

    result = await _import(gql, [_row("OLD-1", [db], opened, impact=1, urgency=1)])

    assert result["errors"] == []
    assert result["created"] == 1
    [imported] = result["incidents"]
    assert imported == {"externalId": "OLD-1", "number": "INC0001001"}
    incident = (await gql(SLA, number="INC0001001"))["incident"]
    assert incident["priority"] == "P1" and incident["state"] == "NEW"
    clocks = {c["kind"]: c for c in incident["sla"]}
    assert clocks["RESPONSE"]["breached"] is True
    assert clocks["RESPONSE"]["remainingSeconds"] == -(2 * 3600 - 15 * 60)
    assert clocks["RESOLUTION"]["breached"] is False
    assert clocks["RESOLUTION"]["remainingSeconds"] == 2 * 3600
    breached = (await gql(LIST, breached=True))["incidents"]["edges"]
    assert [e["node"]["number"] for e in breached] == ["INC0001001"]


async def test_numbers_follow_the_opening_times_and_transitions_keep_their_records(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    db = await a_ci(gql)
    now = clock.now()
    late = (now - timedelta(days=1)).isoformat()
    early = (now - timedelta(days=3)).isoformat()
    steps = [
        {
            "to": "IN_PROGRESS",
            "at": (now - timedelta(days=3, hours=-1)).isoformat(),
            "note": "picked up",
            "actor": "old.agent",
        },
        {"to": "RESOLVED", "at": (now - timedelta(days=2)).isoformat()},
    ]

    result = await _import(
        gql,
        [
            _row("OLD-2", [db], late),
            _row("OLD-1", [db], early, transitions=steps, openedBy="j.doe"),
        ],
    )

    assert result["incidents"] == [
        {"externalId": "OLD-2", "number": "INC0001002"},
        {"externalId": "OLD-1", "number": "INC0001001"},
    ]
    first = (await gql(SLA, number="INC0001001"))["incident"]
    assert first["state"] == "RESOLVED"
    assert first["createdBy"] == "j.doe"
    assert [(t["from"], t["to"], t["actor"], t["note"]) for t in first["transitions"]] == [
        ("NEW", "IN_PROGRESS", "old.agent", "picked up"),
        ("IN_PROGRESS", "RESOLVED", "test-user", None),
    ]
    history = (await gql(GET, number="INC0001001"))["incident"]["history"]["edges"]
    assert [e["node"]["operation"] for e in history] == ["importIncidents"] * 3


async def test_impact_is_computed_over_the_graph_as_it_stands(gql: GraphQLClient) -> None:
    ids = await build(
        gql,
        {"shop": "BUSINESS_SERVICE", "hr": "BUSINESS_SERVICE", "db": "DATABASE"},
        [("shop", "db", "DEPENDS_ON"), ("hr", "db", "DEPENDS_ON")],
    )

    result = await _import(gql, [_row("OLD-1", [ids["db"]], "2026-03-01T09:00:00+00:00")])

    number = result["incidents"][0]["number"]
    services = (await gql(SLA, number=number))["incident"]["impactedServices"]
    assert sorted((s["service"]["name"], s["state"], s["source"]) for s in services) == [
        ("hr", "DOWN", "COMPUTED"),
        ("shop", "DOWN", "COMPUTED"),
    ]


async def test_a_re_import_writes_nothing_again(gql: GraphQLClient) -> None:
    db = await a_ci(gql)
    rows = [_row(f"OLD-{n}", [db], "2026-03-01T09:00:00+00:00") for n in range(3)]
    await _import(gql, rows)

    again = await _import(gql, [*rows, _row("OLD-9", [db], "2026-03-01T10:00:00+00:00")])

    assert (again["created"], again["unchanged"]) == (1, 3)
    assert [i["number"] for i in again["incidents"]] == [
        "INC0001001",
        "INC0001002",
        "INC0001003",
        "INC0001004",
    ]


async def test_two_imports_of_one_history_at_once_write_each_incident_once(
    gql: GraphQLClient,
) -> None:
    db = await a_ci(gql)
    rows = [_row(f"OLD-{n}", [db], f"2026-03-01T0{n}:00:00+00:00") for n in range(5)]

    results = await asyncio.gather(*(_import(gql, rows) for _ in range(4)))

    assert sum(r["created"] for r in results) == 5
    assert all(r["errors"] == [] for r in results)
    numbers = {tuple(i["number"] for i in r["incidents"]) for r in results}
    assert numbers == {tuple(f"INC000100{n}" for n in range(1, 6))}
    listed = (await gql(LIST))["incidents"]["edges"]
    assert len(listed) == 5


async def test_a_request_with_bad_rows_is_refused_whole_with_each_row_named(
    gql: GraphQLClient,
) -> None:
    db = await a_ci(gql)
    rows = [
        _row("OLD-1", [db], "2026-03-01T09:00:00+00:00"),
        _row("OLD-2", ["no-such-ci"], "2026-03-01T09:00:00+00:00"),
        _row(
            "OLD-3",
            [db],
            "2026-03-01T09:00:00+00:00",
            transitions=[{"to": "CLOSED", "at": "2026-03-01T10:00:00+00:00"}],
        ),
        _row("OLD-4", [db], "2026-03-01T09:00:00+00:00", impact=7),
    ]

    result = await _import(gql, rows)

    assert result["created"] == 0
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("incidents[2].transitions[0].to", "INVALID_TRANSITION"),
        ("incidents[3].impact", "OUT_OF_RANGE"),
    ]
    result = await _import(gql, rows[:2])
    assert [(e["field"], e["code"]) for e in result["errors"]] == [
        ("incidents[1].affectedCiIds[0]", "NOT_FOUND")
    ]
    assert (await gql(LIST))["incidents"]["edges"] == []


async def test_affected_cis_may_be_named_by_the_external_ids_of_a_source(
    gql: GraphQLClient,
) -> None:
    imported = await gql(
        """mutation($input: ImportCIsInput!) { importCIs(input: $input) { created } }""",
        input={
            "source": "discovery",
            "cis": [{"externalId": "db-orders", "name": "Orders DB", "class": "DATABASE"}],
            "relationships": [],
        },
    )
    assert imported["importCIs"]["created"] == 1

    result = await _import(
        gql, [_row("OLD-1", ["db-orders"], "2026-03-01T09:00:00+00:00")], ciSource="discovery"
    )

    assert result["errors"] == []
    assert result["created"] == 1
