"""Releases through GraphQL: creation, the state machine with who, when and why, refusals that
name the allowed states and write nothing, rollback, and the deployment gate."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from graph import Database
from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.graph.releases.helpers import add_change, set_state
from tests.resolvers.changes.conftest import START
from tests.resolvers.helpers import create_ci
from tests.resolvers.releases.helpers import (
    a_release,
    create_release,
    get_release,
    move,
    transition,
)


async def test_a_new_release_plans_its_changes_and_deploys_their_targets(
    gql: GraphQLClient, db: Database
) -> None:
    db_ci = await create_ci(gql, "orders-db", "DATABASE")
    vm = await create_ci(gql, "app-vm", "VIRTUAL_MACHINE")
    await add_change(db, "CHG0001001", (db_ci,))
    await add_change(db, "CHG0001002", (vm, db_ci))

    payload = await create_release(
        gql,
        name=" Spring ",
        version="2.4.0",
        type="MAJOR",
        changeNumbers=["chg0001002", "CHG0001001"],
        plannedStart="2026-03-10T22:00:00Z",
        plannedEnd="2026-03-11T02:00:00Z",
        rollbackPlan="Redeploy 2.3.9",
    )

    assert payload["errors"] == []
    release = payload["release"]
    assert (release["number"], release["name"], release["version"]) == (
        "REL0001001",
        "Spring",
        "2.4.0",
    )
    assert (release["type"], release["state"], release["revision"]) == ("MAJOR", "PLANNING", 1)
    assert release["changeNumbers"] == ["CHG0001001", "CHG0001002"]
    assert sorted(release["deployedCiIds"]) == sorted([db_ci, vm])
    assert release["deployedCisGiven"] is False
    assert release["plannedStart"] == "2026-03-10T22:00:00+00:00"
    assert release["transitions"] == [
        {
            "from": None,
            "to": "PLANNING",
            "at": START.isoformat(),
            "actor": "test-user",
            "note": None,
        }
    ]


async def test_a_release_is_refused_whole_on_bad_input(gql: GraphQLClient) -> None:
    payload = await create_release(
        gql,
        name=" ",
        version="x" * 51,
        plannedStart="2026-03-10T22:00:00Z",
        plannedEnd="2026-03-10T21:00:00Z",
        changeNumbers=["CHG0009999"],
    )

    assert payload["release"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("name", "REQUIRED"),
        ("version", "TOO_LONG"),
        ("plannedEnd", "INVALID_VALUE"),
    ]
    assert await get_release(gql, "REL0001001") is None


async def test_a_release_moves_through_its_states_with_who_when_and_why(
    gql: GraphQLClient, db: Database, clock: MovableClock
) -> None:
    await add_change(db, "CHG0001001")
    release = await a_release(gql, "CHG0001001")
    number = release["number"]

    for state in ("BUILD", "TEST", "DEPLOY", "CLOSED"):
        clock.advance(hours=1)
        payload = await transition(gql, number, state, note=f"to {state}")
        assert payload["errors"] == [], payload

    found = await get_release(gql, number)
    assert found is not None
    assert [(t["from"], t["to"], t["note"]) for t in found["transitions"]] == [
        (None, "PLANNING", None),
        ("PLANNING", "BUILD", "to BUILD"),
        ("BUILD", "TEST", "to TEST"),
        ("TEST", "DEPLOY", "to DEPLOY"),
        ("DEPLOY", "CLOSED", "to CLOSED"),
    ]
    assert found["transitions"][-1]["at"] == (START + timedelta(hours=4)).isoformat()
    assert found["deployedAt"] == (START + timedelta(hours=3)).isoformat()
    assert found["closedAt"] == (START + timedelta(hours=4)).isoformat()
    summaries = [e["node"]["summary"] for e in found["history"]["edges"]]
    assert f"{number} DEPLOY -> CLOSED: to CLOSED" in summaries


async def test_a_refused_transition_names_the_allowed_ones_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    release = await a_release(gql)

    payload = await transition(gql, release["number"], "DEPLOY")
    built = await transition(gql, release["number"], "BUILD")
    backwards = await move(gql, release["number"], "TEST", "BUILD", "PLANNING")

    assert payload["release"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("to", "INVALID_TRANSITION")
    assert error["message"] == "a release cannot go from PLANNING to DEPLOY; allowed: BUILD"
    assert built["errors"] == []
    assert backwards["state"] == "PLANNING"
    assert len(backwards["transitions"]) == 5


async def test_a_release_cannot_deploy_without_changes_or_leave_a_finished_state(
    gql: GraphQLClient, db: Database
) -> None:
    empty = await a_release(gql)
    await move(gql, empty["number"], "BUILD", "TEST")
    await add_change(db, "CHG0001001")
    release = await a_release(gql, "CHG0001001")
    await move(gql, release["number"], "BUILD", "TEST", "DEPLOY", "CLOSED")

    nothing = await transition(gql, empty["number"], "DEPLOY")
    finished = await transition(gql, release["number"], "ROLLED_BACK", note="too late")

    assert [e["code"] for e in nothing["errors"]] == ["INVALID_TRANSITION"]
    assert "no changes" in nothing["errors"][0]["message"]
    assert finished["errors"][0]["message"] == (
        "a release cannot go from CLOSED to ROLLED_BACK; allowed: none: the release is CLOSED"
    )


async def test_rolling_back_records_the_note_and_the_rollback_plan(
    gql: GraphQLClient, db: Database
) -> None:
    await add_change(db, "CHG0001001")
    release = await a_release(gql, "CHG0001001", rollbackPlan="Redeploy 2.3.9")
    number = release["number"]
    await move(gql, number, "BUILD", "TEST", "DEPLOY")

    silent = await transition(gql, number, "ROLLED_BACK")
    payload = await transition(gql, number, "ROLLED_BACK", note="checkout errors after deploy")

    assert [(e["field"], e["code"]) for e in silent["errors"]] == [("note", "REQUIRED")]
    rolled = payload["release"]
    assert rolled["state"] == "ROLLED_BACK"
    assert rolled["rollbackNote"] == "checkout errors after deploy"
    assert rolled["rolledBackAt"] == START.isoformat()
    found = await get_release(gql, number)
    assert found is not None
    [event] = [
        e["node"] for e in found["history"]["edges"] if "ROLLED_BACK" in e["node"]["summary"]
    ]
    assert {c["field"]: json.loads(c["after"]) for c in event["changes"]} == {
        "rollbackNote": "checkout errors after deploy",
        "rollbackPlan": "Redeploy 2.3.9",
        "state": "ROLLED_BACK",
    }


async def test_deploy_is_refused_while_a_change_is_not_authorised_and_allowed_after(
    gql: GraphQLClient, db: Database
) -> None:
    await add_change(db, "CHG0001001", state="ASSESS")
    await add_change(db, "CHG0001002", state="AUTHORIZE", change_type="EMERGENCY")
    await add_change(db, "CHG0001003", state="SCHEDULED", change_type="STANDARD")
    release = await a_release(gql, "CHG0001001", "CHG0001002", "CHG0001003")
    number = release["number"]
    await move(gql, number, "BUILD", "TEST")

    refused = await transition(gql, number, "DEPLOY")
    unchanged = await get_release(gql, number)
    await set_state(db, "CHG0001001", "SCHEDULED")
    await set_state(db, "CHG0001002", "IMPLEMENT")
    allowed = await transition(gql, number, "DEPLOY")

    assert refused["release"] is None
    [error] = refused["errors"]
    assert (error["field"], error["code"]) == ("to", "INVALID_TRANSITION")
    assert "CHG0001001 (ASSESS), CHG0001002 (AUTHORIZE)" in error["message"]
    assert "CHG0001003" not in error["message"]
    assert unchanged is not None and unchanged["state"] == "TEST"
    assert len(unchanged["transitions"]) == 3
    assert allowed["errors"] == [] and allowed["release"]["state"] == "DEPLOY"
    assert [c["authorised"] for c in allowed["release"]["changes"]] == [True, True, True]


async def test_twenty_releases_created_at_once_get_consecutive_numbers(
    gql: GraphQLClient,
) -> None:
    created = await asyncio.gather(*(a_release(gql, name=f"r{n}") for n in range(20)))

    numbers = sorted(r["number"] for r in created)
    assert numbers == [f"REL{1001 + n:07d}" for n in range(20)]


ORDERED_RELEASES = """
query($first: Int, $after: String, $orderBy: ReleaseOrder) {
  releases(first: $first, after: $after, orderBy: $orderBy) {
    edges { node { number } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_releases_page_newest_or_oldest_first_and_cursors_keep_to_it(
    gql: GraphQLClient,
) -> None:
    created = [(await a_release(gql, version=f"1.{i}"))["number"] for i in range(3)]

    async def walk(order: dict[str, str] | None) -> list[str]:
        found: list[str] = []
        after = None
        while True:
            data = await gql(ORDERED_RELEASES, first=2, after=after, orderBy=order)
            page = data["releases"]
            found += [e["node"]["number"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    first_page = (await gql(ORDERED_RELEASES, first=1))["releases"]
    crossed = await gql.raw(
        ORDERED_RELEASES,
        first=1,
        after=first_page["pageInfo"]["endCursor"],
        orderBy={"direction": "ASC"},
    )

    assert await walk(None) == created[::-1]
    assert await walk({"field": "NUMBER", "direction": "ASC"}) == created
    assert crossed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
