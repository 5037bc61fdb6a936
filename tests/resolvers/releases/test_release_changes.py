"""A release's changes through GraphQL: adding and removing them under the release's and the
changes' locks, the one-release rule (two releases claiming one change at once leave one
winner), the deployed CIs kept to the changes' targets, events on both sides, updates."""

from __future__ import annotations

import asyncio

from graph import Database
from tests.conftest import GraphQLClient
from tests.graph.releases.helpers import add_change
from tests.resolvers.helpers import create_ci
from tests.resolvers.releases.helpers import (
    ADD,
    REMOVE,
    UPDATE,
    a_release,
    call,
    create_release,
    get_release,
    move,
)

CHANGE_EVENTS = """
MATCH (:Change {number: $number})-[:HAS_EVENT]->(e:AuditEvent)
RETURN e.operation AS operation, e.summary AS summary ORDER BY e.at, e.summary
"""


async def _events(db: Database, number: str) -> list[tuple[str, str]]:
    rows = await db.read_rows("test.events", CHANGE_EVENTS, number=number)
    return [(row["operation"], row["summary"]) for row in rows]


async def test_changes_come_and_go_and_the_deployed_cis_follow_their_targets(
    gql: GraphQLClient, db: Database
) -> None:
    first_ci = await create_ci(gql, "orders-db", "DATABASE")
    second_ci = await create_ci(gql, "app-vm", "VIRTUAL_MACHINE")
    await add_change(db, "CHG0001001", (first_ci,))
    await add_change(db, "CHG0001002", (second_ci,))
    release = await a_release(gql, "CHG0001001")
    number = release["number"]

    added = await call(gql, ADD, number=number, changeNumbers=["CHG0001002", "CHG0001001"])
    removed = await call(gql, REMOVE, number=number, changeNumber="chg0001001")
    again = await call(gql, REMOVE, number=number, changeNumber="CHG0001001")

    assert added["errors"] == []
    assert added["release"]["changeNumbers"] == ["CHG0001001", "CHG0001002"]
    assert sorted(added["release"]["deployedCiIds"]) == sorted([first_ci, second_ci])
    assert removed["release"]["changeNumbers"] == ["CHG0001002"]
    assert removed["release"]["deployedCiIds"] == [second_ci]
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("changeNumber", "INVALID_VALUE")]
    assert sorted(await _events(db, "CHG0001001")) == [
        ("createRelease", "REL0001001 created: Spring 1.0"),
        ("removeChangeFromRelease", "CHG0001001 removed from REL0001001"),
    ]
    assert await _events(db, "CHG0001002") == [
        ("addChangesToRelease", "CHG0001002 added to REL0001001")
    ]


async def test_a_change_in_another_release_is_a_conflict_naming_that_release(
    gql: GraphQLClient, db: Database
) -> None:
    await add_change(db, "CHG0001001")
    await add_change(db, "CHG0001002", state="REJECTED")
    await add_change(db, "CHG0001003", state="DRAFT")
    holder = await a_release(gql, "CHG0001001", name="Spring")
    other = await a_release(gql, name="Summer")

    taken = await call(gql, ADD, number=other["number"], changeNumbers=["CHG0001001"])
    rejected = await call(gql, ADD, number=other["number"], changeNumbers=["CHG0001002"])
    missing = await call(gql, ADD, number="REL0009999", changeNumbers=["CHG0001003"])
    created = await create_release(gql, changeNumbers=["CHG0001003", "CHG0001001"])

    [error] = taken["errors"]
    assert (error["field"], error["code"]) == ("changeNumbers[0]", "CONFLICT")
    assert error["message"] == (
        f"CHG0001001 is already in {holder['number']} (Spring); remove it from there first"
    )
    assert [(e["field"], e["code"]) for e in rejected["errors"]] == [
        ("changeNumbers[0]", "INVALID_VALUE")
    ]
    assert [(e["field"], e["code"]) for e in missing["errors"]] == [("number", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in created["errors"]] == [
        ("changeNumbers[1]", "CONFLICT")
    ]
    found = await get_release(gql, other["number"])
    assert found is not None and found["changeNumbers"] == [] and found["revision"] == 1


async def test_a_finished_release_keeps_its_changes_and_a_deploying_one_takes_only_authorised(
    gql: GraphQLClient, db: Database
) -> None:
    await add_change(db, "CHG0001001")
    await add_change(db, "CHG0001002", state="ASSESS")
    await add_change(db, "CHG0001003")
    release = await a_release(gql, "CHG0001001")
    number = release["number"]
    await move(gql, number, "BUILD", "TEST", "DEPLOY")

    unauthorised = await call(gql, ADD, number=number, changeNumbers=["CHG0001002"])
    await move(gql, number, "CLOSED")
    closed_add = await call(gql, ADD, number=number, changeNumbers=["CHG0001003"])
    closed_remove = await call(gql, REMOVE, number=number, changeNumber="CHG0001001")
    closed_update = await call(gql, UPDATE, number=number, name="Renamed")

    assert (
        "a deploying release takes only authorised changes"
        in (unauthorised["errors"][0]["message"])
    )
    for payload in (closed_add, closed_remove, closed_update):
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("number", "INVALID_VALUE")]
        assert "CLOSED" in payload["errors"][0]["message"]


async def test_two_releases_claiming_one_change_at_once_leave_one_winner(
    gql: GraphQLClient, db: Database
) -> None:
    await add_change(db, "CHG0001001")
    one = await a_release(gql, name="one")
    two = await a_release(gql, name="two")

    results = await asyncio.gather(
        *(call(gql, ADD, number=r["number"], changeNumbers=["CHG0001001"]) for r in (one, two))
    )

    winners = [r for r in results if r["errors"] == []]
    losers = [r for r in results if r["errors"] != []]
    assert len(winners) == 1 and len(losers) == 1
    assert [e["code"] for e in losers[0]["errors"]] == ["CONFLICT"]
    assert winners[0]["release"]["number"] in losers[0]["errors"][0]["message"]
    holders = [await get_release(gql, r["number"]) for r in (one, two)]
    assert sorted(len(h["changeNumbers"]) for h in holders if h) == [0, 1]


async def test_an_update_names_deployed_cis_then_goes_back_to_the_targets(
    gql: GraphQLClient, db: Database
) -> None:
    target = await create_ci(gql, "orders-db", "DATABASE")
    balancer = await create_ci(gql, "lb", "LOAD_BALANCER")
    await add_change(db, "CHG0001001", (target,))
    release = await a_release(gql, "CHG0001001")
    number = release["number"]

    named = await call(
        gql, UPDATE, number=number, expectedRevision=1, deployedCiIds=[balancer], version="1.1"
    )
    stale = await call(gql, UPDATE, number=number, expectedRevision=1, name="x")
    back = await call(gql, UPDATE, number=number, deployedCiIds=None, rollbackPlan="undo")
    unknown = await call(gql, UPDATE, number=number, deployedCiIds=["nope"])

    assert named["errors"] == []
    assert named["release"]["deployedCiIds"] == [balancer]
    assert (named["release"]["version"], named["release"]["revision"]) == ("1.1", 2)
    assert named["release"]["deployedCisGiven"] is True
    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("expectedRevision", "CONFLICT")]
    assert back["release"]["deployedCiIds"] == [target]
    assert back["release"]["deployedCisGiven"] is False
    assert back["release"]["rollbackPlan"] == "undo"
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        ("deployedCiIds[0]", "NOT_FOUND")
    ]


async def test_concurrent_additions_of_different_changes_to_one_release_lose_none(
    gql: GraphQLClient, db: Database
) -> None:
    for n in range(6):
        await add_change(db, f"CHG000100{n}")
    release = await a_release(gql)

    results = await asyncio.gather(
        *(
            call(gql, ADD, number=release["number"], changeNumbers=[f"CHG000100{n}"])
            for n in range(6)
        )
    )

    assert all(r["errors"] == [] for r in results)
    found = await get_release(gql, release["number"])
    assert found is not None
    assert found["changeNumbers"] == [f"CHG000100{n}" for n in range(6)]
    assert found["revision"] == 7
