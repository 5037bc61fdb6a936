"""Creating, reading and updating changes: their fields, numbers, validation and history."""

from __future__ import annotations

import asyncio

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import START
from tests.resolvers.changes.helpers import (
    WINDOW,
    a_ci,
    create_change,
    get_change,
    move,
    open_change,
    update_change,
)
from tests.resolvers.helpers import create_ci

RETIRE = """
mutation($input: UpdateCIInput!) { updateCI(input: $input) { errors { field code } } }
"""


async def test_a_new_change_is_stored_in_draft_with_its_fields_number_and_history(
    gql: GraphQLClient,
) -> None:
    db = await a_ci(gql)

    change = await open_change(
        gql,
        [db, db],
        title=" Patch the database ",
        description="Minor version",
        assignee="dana",
        assignmentGroup="dba",
        implementationPlan="apply",
        backoutPlan="restore",
        testPlan="smoke",
    )

    assert change["number"] == "CHG0001001"
    assert change["state"] == "DRAFT"
    assert change["type"] == "NORMAL"
    assert change["title"] == "Patch the database"
    assert (change["assignee"], change["assignmentGroup"]) == ("dana", "dba")
    assert (change["implementationPlan"], change["backoutPlan"], change["testPlan"]) == (
        "apply",
        "restore",
        "smoke",
    )
    assert change["plannedStart"] == WINDOW["plannedStart"]
    assert change["openedAt"] == START.isoformat()
    assert (change["createdBy"], change["updatedBy"], change["version"]) == ("test-user",) * 2 + (
        1,
    )
    assert [t["id"] for t in change["targets"]] == [db]
    assert change["impactedServices"] == [] and change["impactedCiIds"] == []
    assert change["assessedAt"] is None and change["authorised"] is False
    assert change["requiredApprovals"] == 1
    stored = await get_change(gql, "chg0001001 ")
    assert stored is not None
    [created] = stored["history"]["edges"]
    assert created["node"]["operation"] == "createChange"
    assert {c["field"] for c in created["node"]["changes"]} >= {"title", "targetCiIds", "type"}
    assert await get_change(gql, "CHG0009999") is None


async def test_a_change_without_title_or_target_or_with_a_bad_window_is_refused(
    gql: GraphQLClient,
) -> None:
    payload = await create_change(gql, title=" ", type="NORMAL", targetCiIds=[])
    assert {(e["field"], e["code"]) for e in payload["errors"]} == {
        ("title", "REQUIRED"),
        ("targetCiIds", "REQUIRED"),
    }
    assert payload["change"] is None
    ci = await a_ci(gql)
    cases = [
        ({"plannedStart": WINDOW["plannedStart"]}, ("plannedEnd", "REQUIRED")),
        ({"plannedEnd": WINDOW["plannedEnd"]}, ("plannedStart", "REQUIRED")),
        (
            {"plannedStart": WINDOW["plannedEnd"], "plannedEnd": WINDOW["plannedStart"]},
            ("plannedEnd", "INVALID_VALUE"),
        ),
        (
            {"plannedStart": "2026-03-10T22:00:00", "plannedEnd": WINDOW["plannedEnd"]},
            ("plannedStart", "INVALID_FORMAT"),
        ),
        ({"title": "x" * 201}, ("title", "TOO_LONG")),
        ({"backoutPlan": "x" * 10_001}, ("backoutPlan", "TOO_LONG")),
    ]
    for fields, error in cases:
        payload = await create_change(
            gql, **{"title": "t", "type": "STANDARD", **fields}, targetCiIds=[ci]
        )
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [error], fields
    assert await get_change(gql, "CHG0001001") is None


async def test_an_unknown_or_retired_target_is_named_by_its_position(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    old = await create_ci(gql, "old-db", "DATABASE")
    await gql(RETIRE, input={"id": old, "expectedVersion": 1, "status": "RETIRED"})

    missing = await create_change(gql, title="t", type="NORMAL", targetCiIds=[ci, "nope"])
    retired = await create_change(gql, title="t", type="NORMAL", targetCiIds=[old])

    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("targetCiIds[1]", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in retired["errors"]] == [
        ("targetCiIds[0]", "INVALID_VALUE")
    ]


async def test_thirty_concurrent_creations_get_thirty_consecutive_numbers(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)

    created = await asyncio.gather(*(open_change(gql, [ci], title=f"c{n}") for n in range(30)))

    assert sorted(c["number"] for c in created) == [f"CHG{n:07d}" for n in range(1001, 1031)]


async def test_an_update_changes_the_given_fields_clears_nulls_and_checks_the_version(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci, other = await a_ci(gql), await a_ci(gql, "cache", "CACHE")
    number = (await open_change(gql, [ci], description="old", assignee="dana"))["number"]
    clock.advance(minutes=5)

    payload = await update_change(
        gql, number, expectedVersion=1, title="New", description=None, targetCiIds=[other]
    )

    assert payload["errors"] == []
    change = payload["change"]
    assert (change["title"], change["description"], change["assignee"]) == ("New", None, "dana")
    assert [t["id"] for t in change["targets"]] == [other]
    assert change["version"] == 2 and change["updatedAt"] == clock.now().isoformat()
    stale = await update_change(gql, number, expectedVersion=1, title="Again")
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("expectedVersion", "CONFLICT")]
    same = await update_change(gql, number, title="New")
    assert same["change"]["version"] == 2
    stored = await get_change(gql, number)
    assert stored is not None
    assert [e["node"]["operation"] for e in stored["history"]["edges"]] == [
        "updateChange",
        "createChange",
    ]


async def test_an_update_is_refused_when_final_and_for_targets_once_implementing(
    gql: GraphQLClient,
) -> None:
    ci, other = await a_ci(gql), await a_ci(gql, "cache", "CACHE")
    cancelled = (await open_change(gql, [ci]))["number"]
    await move(gql, cancelled, "CANCELLED")
    started = (await open_change(gql, [ci], type="STANDARD"))["number"]
    await move(gql, started, "ASSESS", "SCHEDULED", "IMPLEMENT")

    final = await update_change(gql, cancelled, title="x")
    targets = await update_change(gql, started, targetCiIds=[other])
    window = await update_change(gql, started, plannedEnd="2026-03-11T01:00:00+00:00")
    text = await update_change(gql, started, testPlan="more tests")
    retype = await update_change(gql, started, type="NORMAL")
    unplan = await update_change(gql, started, plannedStart=None, plannedEnd=None)

    assert [(e["field"], e["code"]) for e in final["errors"]] == [("number", "CONFLICT")]
    assert [(e["field"], e["code"]) for e in targets["errors"]] == [("targetCiIds", "CONFLICT")]
    assert [(e["field"], e["code"]) for e in window["errors"]] == [("plannedEnd", "CONFLICT")]
    assert [(e["field"], e["code"]) for e in retype["errors"]] == [("type", "CONFLICT")]
    assert unplan["errors"][0]["code"] == "CONFLICT"
    assert text["errors"] == [] and text["change"]["testPlan"] == "more tests"


async def test_concurrent_updates_of_one_change_with_its_version_let_one_win(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]

    results = await asyncio.gather(
        *(update_change(gql, number, expectedVersion=1, assignee=f"a{n}") for n in range(5))
    )

    assert sum(1 for r in results if r["errors"] == []) == 1
    stored = await get_change(gql, number)
    assert stored is not None and stored["version"] == 2
