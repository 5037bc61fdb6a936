"""Opening an incident: its priority from the matrix, its number, its checks."""

from __future__ import annotations

import asyncio

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.conftest import START
from tests.resolvers.incidents.helpers import a_ci, create, get, open_incident

MATRIX = [
    (1, 1, "P1"),
    (1, 2, "P2"),
    (1, 3, "P3"),
    (2, 1, "P2"),
    (2, 2, "P3"),
    (2, 3, "P4"),
    (3, 1, "P3"),
    (3, 2, "P4"),
    (3, 3, "P5"),
]


@pytest.mark.parametrize(("impact", "urgency", "priority"), MATRIX)
async def test_the_priority_of_an_incident_follows_the_itil_matrix(
    gql: GraphQLClient, impact: int, urgency: int, priority: str
) -> None:
    ci = await a_ci(gql)

    incident = await open_incident(gql, [ci], impact=impact, urgency=urgency)

    assert incident["priority"] == priority


async def test_a_new_incident_is_stored_with_its_fields_number_and_opening_time(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)

    incident = await open_incident(
        gql,
        [ci],
        description="HTTP 500 on pay",
        assignmentGroup="web-ops",
        assignee="alice",
    )

    assert incident["number"] == "INC0001001"
    assert incident["state"] == "NEW"
    assert incident["version"] == 1
    assert incident["affectedCiIds"] == [ci]
    assert incident["openedAt"] == incident["updatedAt"] == "2026-03-02T10:00:00+00:00"
    assert incident["createdBy"] == incident["updatedBy"] == "test-user"
    assert (incident["assignmentGroup"], incident["assignee"]) == ("web-ops", "alice")
    assert incident["description"] == "HTTP 500 on pay"
    assert incident["causesOutage"] is True
    assert incident["major"] is False
    assert incident["transitions"] == []
    stored = await get(gql, "INC0001001")
    assert {k: v for k, v in stored.items() if k != "history"} == incident
    [event] = [e["node"] for e in stored["history"]["edges"]]
    assert (event["operation"], event["actor"]) == ("createIncident", "test-user")
    assert event["at"] == START.isoformat()
    assert {c["field"] for c in event["changes"]} >= {"title", "priority", "affectedCiIds"}


async def test_a_service_request_does_not_cause_an_outage_unless_told_so(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)

    request = await open_incident(gql, [ci], category="SERVICE_REQUEST")
    told = await open_incident(gql, [ci], category="SERVICE_REQUEST", causesOutage=True)
    hardware = await open_incident(gql, [ci], category="HARDWARE", causesOutage=False)

    assert [request["causesOutage"], told["causesOutage"], hardware["causesOutage"]] == [
        False,
        True,
        False,
    ]


async def test_an_incident_without_title_or_affected_ci_or_in_range_values_is_refused(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await create(
        gql, title=" ", category="APPLICATION", impact=0, urgency=4, affectedCiIds=[]
    )

    assert payload["incident"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("title", "REQUIRED"),
        ("impact", "OUT_OF_RANGE"),
        ("urgency", "OUT_OF_RANGE"),
        ("affectedCiIds", "REQUIRED"),
    ]
    assert await db.read_rows("t", "MATCH (i:Incident) RETURN count(i) AS n") == [{"n": 0}]


async def test_a_title_over_200_characters_is_refused(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)

    payload = await create(
        gql, title="x" * 201, category="HARDWARE", impact=1, urgency=1, affectedCiIds=[ci]
    )

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("title", "TOO_LONG")]


async def test_an_unknown_or_retired_affected_ci_is_named_by_its_position(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)
    retired = await a_ci(gql, "old-db")
    await gql("mutation($id: ID!) { retireCI(input: {id: $id}) { errors { code } } }", id=retired)
    fields = {"title": "t", "category": "HARDWARE", "impact": 1, "urgency": 1}

    unknown = await create(gql, **fields, affectedCiIds=[ci, "no-such-ci"])
    old = await create(gql, **fields, affectedCiIds=[retired, ci])

    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [
        ("affectedCiIds[1]", "NOT_FOUND")
    ]
    assert [(e["field"], e["code"]) for e in old["errors"]] == [
        ("affectedCiIds[0]", "INVALID_VALUE")
    ]


async def test_fifty_concurrent_creations_get_fifty_consecutive_numbers(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)

    created = await asyncio.gather(*(open_incident(gql, [ci], title=f"t{n}") for n in range(50)))

    numbers = sorted(i["number"] for i in created)
    assert numbers == [f"INC{n:07d}" for n in range(1001, 1051)]
