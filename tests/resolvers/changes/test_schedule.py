"""The change schedule through GraphQL: the changes planned in a period (not cancelled or
rejected) and its freezes, each change with its conflicts; a bounded period."""

from __future__ import annotations

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import move, open_change, scheduled
from tests.resolvers.changes.test_conflicts import FREEZE, LATER, assessed, landscape

SCHEDULE = """
query($from: DateTime!, $to: DateTime!) { changeSchedule(from: $from, to: $to) {
  from to truncated
  freezes { name }
  changes { number state plannedStart conflicts { kind change { number } blackoutWindow { name } } }
} }
"""


async def test_the_schedule_lists_the_periods_changes_and_freezes_with_conflicts(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await landscape(gql)
    await gql(
        FREEZE,
        input={
            "name": "Billing run",
            "start": "2026-03-11T00:00:00Z",
            "end": "2026-03-12T00:00:00Z",
            "serviceIds": [ids["Billing"]],
        },
    )
    first = await scheduled(gql, [ids["web-lb"]])
    second = await assessed(gql, [ids["orders-db"]])
    third = await assessed(gql, [ids["orders-db"]], **LATER)
    cancelled = await open_change(gql, [ids["orders-db"]])
    await move(gql, cancelled["number"], "CANCELLED")
    await open_change(
        gql,
        [ids["orders-db"]],
        plannedStart="2026-05-01T00:00:00Z",
        plannedEnd="2026-05-01T01:00:00Z",
    )

    before = db.round_trips
    found = (await gql(SCHEDULE, **{"from": "2026-03-09T00:00:00Z", "to": "2026-03-16T00:00:00Z"}))[
        "changeSchedule"
    ]
    cost = db.round_trips - before

    assert (found["from"], found["to"], found["truncated"]) == (
        "2026-03-09T00:00:00+00:00",
        "2026-03-16T00:00:00+00:00",
        False,
    )
    assert found["freezes"] == [{"name": "Billing run"}]
    assert [(c["number"], c["state"]) for c in found["changes"]] == [
        (first["number"], "SCHEDULED"),
        (second["number"], "ASSESS"),
        (third["number"], "ASSESS"),
    ]
    conflicts = {c["number"]: c["conflicts"] for c in found["changes"]}
    assert conflicts[second["number"]] == [
        {
            "kind": "OVERLAPPING_CHANGE",
            "change": {"number": first["number"]},
            "blackoutWindow": None,
        }
    ]
    assert conflicts[third["number"]] == [
        {"kind": "BLACKOUT", "change": None, "blackoutWindow": {"name": "Billing run"}}
    ]
    # One read for the schedule, two for the assessment, one check of the topology for the
    # single points of failure of both services checked (Checkout, Billing).
    assert cost == 4


async def test_a_schedule_over_more_than_366_days_is_refused(gql: GraphQLClient) -> None:
    result = await gql.raw(
        SCHEDULE, **{"from": "2026-01-01T00:00:00Z", "to": "2027-01-03T00:00:00Z"}
    )

    assert result["data"] is None
    assert result["errors"][0]["message"] == "to: a period spans at most 366 days"
    backwards = await gql.raw(
        SCHEDULE, **{"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}
    )
    assert backwards["errors"][0]["message"] == "to: must be after from"
