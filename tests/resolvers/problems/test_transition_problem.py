"""transitionProblem: every allowed step with who, when and why; refused steps name the
allowed ones and write nothing; a known error needs a workaround."""

from __future__ import annotations

from typing import Any

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.problems.helpers import new_problem, problem, record_events, transition

FORWARD = ["ROOT_CAUSE_ANALYSIS", "KNOWN_ERROR", "RESOLVED", "CLOSED"]


async def problem_in(gql: GraphQLClient, state: str) -> str:
    """A problem with a workaround, moved forward up to `state`."""
    number: str = (await new_problem(gql, workaround="Restart the order pods"))["number"]
    for to in FORWARD[: FORWARD.index(state) + 1] if state != "NEW" else []:
        assert (await transition(gql, number, to))["errors"] == []
    return number


async def snapshot(gql: GraphQLClient, db: Database, number: str) -> tuple[Any, list[str]]:
    return await problem(gql, number), await record_events(db, number)


async def test_every_allowed_transition_records_who_when_and_why(
    gql: GraphQLClient, db: Database
) -> None:
    number = (await new_problem(gql, workaround="Restart the order pods"))["number"]

    moved = [await transition(gql, number, to, f"now {to}") for to in FORWARD]

    assert all(m["errors"] == [] for m in moved)
    assert [m["problem"]["state"] for m in moved] == FORWARD
    assert [m["problem"]["version"] for m in moved] == [2, 3, 4, 5]
    assert [m["problem"]["knownError"] for m in moved] == [False, True, False, False]
    final = moved[-1]["problem"]
    assert [(t["from"], t["to"], t["actor"], t["note"]) for t in final["transitions"]] == [
        ("NEW", "ROOT_CAUSE_ANALYSIS", "test-user", "now ROOT_CAUSE_ANALYSIS"),
        ("ROOT_CAUSE_ANALYSIS", "KNOWN_ERROR", "test-user", "now KNOWN_ERROR"),
        ("KNOWN_ERROR", "RESOLVED", "test-user", "now RESOLVED"),
        ("RESOLVED", "CLOSED", "test-user", "now CLOSED"),
    ]
    times = [t["at"] for t in final["transitions"]]
    assert times == sorted(times)
    assert final["resolvedAt"] == times[2] and final["closedAt"] == times[3]
    assert final["updatedAt"] == times[3]
    assert await record_events(db, number) == ["createProblem"] + ["transitionProblem"] * 4
    history = (await problem(gql, number))["history"]["edges"]
    assert history[0]["node"]["summary"] == f"{number} moved from RESOLVED to CLOSED"
    assert history[0]["node"]["changes"] == [
        {"field": "state", "before": '"RESOLVED"', "after": '"CLOSED"'}
    ]


@pytest.mark.parametrize(
    ("state", "to", "allowed"),
    [
        ("NEW", "KNOWN_ERROR", "ROOT_CAUSE_ANALYSIS"),
        ("NEW", "CLOSED", "ROOT_CAUSE_ANALYSIS"),
        ("ROOT_CAUSE_ANALYSIS", "NEW", "KNOWN_ERROR"),
        ("ROOT_CAUSE_ANALYSIS", "RESOLVED", "KNOWN_ERROR"),
        ("KNOWN_ERROR", "ROOT_CAUSE_ANALYSIS", "RESOLVED"),
        ("KNOWN_ERROR", "KNOWN_ERROR", "RESOLVED"),
        ("RESOLVED", "KNOWN_ERROR", "CLOSED"),
        ("CLOSED", "NEW", "none: the problem is CLOSED"),
    ],
)
async def test_a_refused_transition_names_the_allowed_ones_and_writes_nothing(
    gql: GraphQLClient, db: Database, state: str, to: str, allowed: str
) -> None:
    number = await problem_in(gql, state)
    before = await snapshot(gql, db, number)

    refused = await transition(gql, number, to, "try")

    assert refused["problem"] is None
    [error] = refused["errors"]
    assert (error["field"], error["code"]) == ("to", "INVALID_TRANSITION")
    assert error["message"].endswith(f"allowed: {allowed}")
    assert await snapshot(gql, db, number) == before


async def test_entering_known_error_without_a_workaround_is_refused(
    gql: GraphQLClient, db: Database
) -> None:
    number = (await new_problem(gql))["number"]
    await transition(gql, number, "ROOT_CAUSE_ANALYSIS")
    before = await snapshot(gql, db, number)

    refused = await transition(gql, number, "KNOWN_ERROR")

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("workaround", "REQUIRED")]
    assert await snapshot(gql, db, number) == before


async def test_an_unknown_problem_cannot_move(gql: GraphQLClient) -> None:
    refused = await transition(gql, "PRB0009999", "ROOT_CAUSE_ANALYSIS")

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("number", "NOT_FOUND")]
