"""The state machine of each change type, and what each transition records."""

from __future__ import annotations

import asyncio

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import (
    a_ci,
    approve,
    get_change,
    move,
    open_change,
    transition,
    update_change,
)


def errors(payload: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def test_a_standard_change_is_scheduled_after_assessment_without_approval(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci], type="STANDARD"))["number"]

    refused = await transition(gql, number, "AUTHORIZE")
    assert errors(refused) == [("to", "INVALID_TRANSITION")]
    assert "allowed: ASSESS, CANCELLED" in refused["errors"][0]["message"]
    await move(gql, number, "ASSESS")
    assert errors(await transition(gql, number, "AUTHORIZE")) == [("to", "INVALID_TRANSITION")]
    scheduled = await move(gql, number, "SCHEDULED", note="standard")
    assert scheduled["authorised"] is True and scheduled["requiredApprovals"] == 0
    clock.advance(hours=1)
    implementing = await move(gql, number, "IMPLEMENT")
    assert implementing["actualStart"] == clock.now().isoformat()
    clock.advance(hours=1)
    review = await move(gql, number, "REVIEW")
    assert review["actualEnd"] == clock.now().isoformat()
    assert errors(await transition(gql, number, "CLOSED")) == [("outcome", "REQUIRED")]
    closed = await move(gql, number, "CLOSED", outcome="SUCCESSFUL")

    assert closed["outcome"] == "SUCCESSFUL"
    assert [(t["from"], t["to"], t["actor"]) for t in closed["transitions"]] == [
        ("DRAFT", "ASSESS", "test-user"),
        ("ASSESS", "SCHEDULED", "test-user"),
        ("SCHEDULED", "IMPLEMENT", "test-user"),
        ("IMPLEMENT", "REVIEW", "test-user"),
        ("REVIEW", "CLOSED", "test-user"),
    ]
    assert closed["transitions"][1]["note"] == "standard"
    stored = await get_change(gql, number)
    assert stored is not None
    assert [e["node"]["operation"] for e in stored["history"]["edges"]].count(
        "transitionChange"
    ) == 5


async def test_a_normal_change_needs_the_cab_to_be_scheduled(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS")

    assert errors(await transition(gql, number, "SCHEDULED")) == [("to", "INVALID_TRANSITION")]
    await move(gql, number, "AUTHORIZE")
    assert errors(await transition(gql, number, "SCHEDULED")) == [("to", "INVALID_TRANSITION")]
    assert errors(await transition(gql, number, "IMPLEMENT")) == [("to", "INVALID_TRANSITION")]
    approved = await approve(gql, number, "looks fine")

    change = approved["change"]
    assert (change["state"], change["authorised"]) == ("SCHEDULED", True)
    assert change["transitions"][-1]["note"] == "authorised by CAB"


async def test_an_emergency_change_approved_to_implement_now_starts_at_once(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci], type="EMERGENCY"))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")

    approved = await approve(gql, number, "go", implementNow=True)

    change = approved["change"]
    assert (change["state"], change["authorised"]) == ("IMPLEMENT", True)
    assert change["actualStart"] == clock.now().isoformat()
    assert change["transitions"][-1]["from"] == "AUTHORIZE"


async def test_only_an_emergency_change_is_implemented_at_once(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")

    refused = await approve(gql, number, "go", implementNow=True)

    assert errors(refused) == [("implementNow", "INVALID_VALUE")]
    stored = await get_change(gql, number)
    assert stored is not None and stored["approvals"] == [] and stored["version"] == 3


async def test_entering_assess_needs_a_planned_window(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci], plannedStart=None, plannedEnd=None))["number"]

    refused = await transition(gql, number, "ASSESS")

    assert errors(refused) == [("plannedStart", "REQUIRED")]
    await update_change(
        gql,
        number,
        plannedStart="2026-03-10T22:00:00+00:00",
        plannedEnd="2026-03-10T23:00:00+00:00",
    )
    assert (await move(gql, number, "ASSESS"))["assessedAt"] is not None


async def test_a_refused_transition_writes_nothing(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]

    refusals = [
        await transition(gql, number, "CLOSED"),
        await transition(gql, number, "IMPLEMENT", outcome="FAILED"),
        await transition(gql, number, "ASSESS", note="x" * 10_001),
        await transition(gql, "CHG0009999", "ASSESS"),
    ]

    assert [errors(r)[0] for r in refusals] == [
        ("to", "INVALID_TRANSITION"),
        ("to", "INVALID_TRANSITION"),
        ("note", "TOO_LONG"),
        ("number", "NOT_FOUND"),
    ]
    stored = await get_change(gql, number)
    assert stored is not None
    assert (stored["state"], stored["version"], stored["transitions"]) == ("DRAFT", 1, [])
    assert len(stored["history"]["edges"]) == 1


async def test_a_change_sent_back_to_assess_needs_its_approvals_again(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")
    await approve(gql, number, "ok")

    back = await move(gql, number, "ASSESS")
    assert back["authorised"] is False
    await move(gql, number, "AUTHORIZE")
    again = await approve(gql, number, "still ok")

    assert again["errors"] == [] and again["change"]["state"] == "SCHEDULED"
    assert len(again["change"]["approvals"]) == 2


async def test_parallel_transitions_of_one_change_move_it_once(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]

    results = await asyncio.gather(*(transition(gql, number, "ASSESS") for _ in range(5)))

    assert sum(1 for r in results if r["errors"] == []) == 1
    stored = await get_change(gql, number)
    assert stored is not None and len(stored["transitions"]) == 1
