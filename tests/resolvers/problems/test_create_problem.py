"""createProblem: reactive and proactive problems, refusals by field, and what concurrent
creation does to numbers and to incidents grouped twice."""

from __future__ import annotations

import asyncio

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci
from tests.resolvers.problems.helpers import (
    create_problem,
    new_problem,
    open_incident,
    problem,
    record_events,
)


async def test_a_reactive_problem_groups_its_incidents_and_names_its_root_cause(
    gql: GraphQLClient, db: Database
) -> None:
    ci_id = await create_ci(gql, "orders-db", "DATABASE")
    first = await open_incident(gql, ci_ids=(ci_id,))
    second = await open_incident(gql, ci_ids=(ci_id,))

    created = await new_problem(
        gql,
        "Orders database rejects connections",
        description="At the lunch peak",
        incidentNumbers=[second, first],
        rootCauseCiId=ci_id,
    )

    assert created["number"] == "PRB0001001"
    assert created["state"] == "NEW" and created["knownError"] is False
    assert created["incidentNumbers"] == [first, second]
    assert created["rootCause"] == {"id": ci_id, "name": "orders-db"}
    assert created["description"] == "At the lunch peak" and created["workaround"] is None
    assert created["version"] == 1 and created["transitions"] == []
    assert created["createdBy"] == created["updatedBy"] == "test-user"
    assert created["openedAt"] == created["updatedAt"]
    assert created["resolvedAt"] is None and created["closedAt"] is None
    assert await record_events(db, created["number"]) == ["createProblem"]
    assert await record_events(db, first) == ["createIncident", "createProblem"]


async def test_a_proactive_problem_needs_no_incident(gql: GraphQLClient) -> None:
    created = await new_problem(gql, "Certificates expire unannounced")

    assert created["incidentNumbers"] == [] and created["rootCause"] is None
    assert (await problem(gql, created["number"]))["title"] == "Certificates expire unannounced"


async def test_a_blank_or_too_long_title_is_refused_by_field(gql: GraphQLClient) -> None:
    blank = await create_problem(gql, "   ")
    long = await create_problem(gql, "x" * 201, workaround="y" * 10_001)

    assert blank["problem"] is None
    assert [(e["field"], e["code"]) for e in blank["errors"]] == [("title", "REQUIRED")]
    assert [(e["field"], e["code"]) for e in long["errors"]] == [
        ("title", "TOO_LONG"),
        ("workaround", "TOO_LONG"),
    ]


async def test_unknown_incidents_and_an_unknown_root_cause_are_refused_by_name(
    gql: GraphQLClient,
) -> None:
    known = await open_incident(gql)

    incidents = await create_problem(gql, incidentNumbers=["INC0009998", known, "INC0009999"])
    ci = await create_problem(gql, rootCauseCiId="no-such-ci")

    assert [(e["field"], e["code"]) for e in incidents["errors"]] == [
        ("incidentNumbers[0]", "NOT_FOUND"),
        ("incidentNumbers[2]", "NOT_FOUND"),
    ]
    assert "INC0009999" in incidents["errors"][1]["message"]
    assert [(e["field"], e["code"]) for e in ci["errors"]] == [("rootCauseCiId", "NOT_FOUND")]
    assert (await problem(gql, "PRB0001001")) is None


async def test_an_incident_another_problem_groups_is_a_conflict_naming_that_problem(
    gql: GraphQLClient,
) -> None:
    incident = await open_incident(gql)
    first = await new_problem(gql, incidentNumbers=[incident])

    second = await create_problem(gql, "Another view", incidentNumbers=[incident])

    assert second["problem"] is None
    [error] = second["errors"]
    assert (error["field"], error["code"]) == ("incidentNumbers[0]", "CONFLICT")
    assert first["number"] in error["message"]


async def test_twenty_problems_created_at_once_get_twenty_consecutive_numbers(
    gql: GraphQLClient,
) -> None:
    created = await asyncio.gather(*(new_problem(gql, f"problem {i}") for i in range(20)))

    numbers = sorted(p["number"] for p in created)
    assert numbers == [f"PRB{n:07d}" for n in range(1001, 1021)]


async def test_two_problems_grouping_one_incident_at_once_leave_one_winner(
    gql: GraphQLClient,
) -> None:
    incident = await open_incident(gql)

    outcomes = await asyncio.gather(
        create_problem(gql, "first view", incidentNumbers=[incident]),
        create_problem(gql, "second view", incidentNumbers=[incident]),
    )

    winners = [o for o in outcomes if o["problem"] is not None]
    losers = [o for o in outcomes if o["problem"] is None]
    assert len(winners) == 1 and len(losers) == 1
    assert [e["code"] for e in losers[0]["errors"]] == ["CONFLICT"]
    assert winners[0]["problem"]["number"] in losers[0]["errors"][0]["message"]
    assert winners[0]["problem"]["incidentNumbers"] == [incident]
