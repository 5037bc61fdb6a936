"""The change advisory board: approvals recorded once per member, the one that reaches the
number required schedules the change in the same write; a rejection ends it."""

from __future__ import annotations

import asyncio

from tests.conftest import GraphQLClient
from tests.resolvers.changes.conftest import ActAs
from tests.resolvers.changes.helpers import (
    a_ci,
    approve,
    get_change,
    move,
    open_change,
    reject,
)


async def test_two_cab_members_approving_at_once_schedule_the_change_once(
    gql: GraphQLClient, as_actor: ActAs
) -> None:
    alice, bob = await as_actor("cab-alice", approvals=2), await as_actor("cab-bob", approvals=2)
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")

    results = await asyncio.gather(approve(alice, number, "ok"), approve(bob, number, "fine"))

    assert [r["errors"] for r in results] == [[], []]
    stored = await get_change(gql, number)
    assert stored is not None
    assert sorted(a["approver"] for a in stored["approvals"]) == ["cab-alice", "cab-bob"]
    assert stored["state"] == "SCHEDULED" and stored["authorised"] is True
    [scheduled] = [t for t in stored["transitions"] if t["to"] == "SCHEDULED"]
    assert scheduled["note"] == "authorised by CAB"
    assert scheduled["actor"] in {"cab-alice", "cab-bob"}
    first = next(r for r in results if r["change"]["state"] == "AUTHORIZE")
    assert first["change"]["authorised"] is False


async def test_one_approver_counts_once(gql: GraphQLClient, as_actor: ActAs) -> None:
    alice = await as_actor("cab-alice", approvals=2)
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")
    await approve(alice, number, "ok")

    again = await approve(alice, number, "really ok")

    assert [(e["field"], e["code"]) for e in again["errors"]] == [("number", "CONFLICT")]
    stored = await get_change(gql, number)
    assert stored is not None and len(stored["approvals"]) == 1
    assert stored["state"] == "AUTHORIZE"


async def test_a_rejection_needs_a_comment_and_ends_the_change(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")

    silent = await reject(gql, number, " ")
    rejected = await reject(gql, number, "too risky before quarter end")

    assert [(e["field"], e["code"]) for e in silent["errors"]] == [("comment", "REQUIRED")]
    change = rejected["change"]
    assert change["state"] == "REJECTED"
    assert [(a["approver"], a["decision"], a["comment"]) for a in change["approvals"]] == [
        ("test-user", "REJECTED", "too risky before quarter end")
    ]
    assert change["transitions"][-1]["note"] == "too risky before quarter end"
    stored = await get_change(gql, number)
    assert stored is not None
    assert {"rejectChange"} <= {e["node"]["operation"] for e in stored["history"]["edges"]}


async def test_the_cab_decides_only_on_a_change_in_authorize(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    draft = (await open_change(gql, [ci]))["number"]
    standard = (await open_change(gql, [ci], type="STANDARD"))["number"]
    await move(gql, standard, "ASSESS", "SCHEDULED")

    refusals = [
        await approve(gql, draft, "ok"),
        await reject(gql, draft, "no"),
        await approve(gql, standard, "ok"),
        await approve(gql, "CHG0009999", "ok"),
    ]

    assert [(e["field"], e["code"]) for r in refusals for e in r["errors"]] == [
        ("number", "CONFLICT"),
        ("number", "CONFLICT"),
        ("number", "CONFLICT"),
        ("number", "NOT_FOUND"),
    ]
    assert "DRAFT" in refusals[0]["errors"][0]["message"]
    stored = await get_change(gql, draft)
    assert stored is not None and stored["approvals"] == [] and stored["version"] == 1


async def test_an_approval_and_a_rejection_at_once_leave_one_decision_in_force(
    gql: GraphQLClient, as_actor: ActAs
) -> None:
    alice = await as_actor("cab-alice", approvals=2)
    bob = await as_actor("cab-bob", approvals=2)
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")

    await asyncio.gather(approve(alice, number, "ok"), reject(bob, number, "no"))

    stored = await get_change(gql, number)
    assert stored is not None and stored["state"] == "REJECTED"
    assert len([t for t in stored["transitions"] if t["to"] == "REJECTED"]) == 1
