"""updateProblem under optimistic locking; linkIncidentsToProblem and unlinkIncidentFromProblem,
whose audit events hang off the problem and the incident."""

from __future__ import annotations

import asyncio
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci
from tests.resolvers.problems.helpers import (
    PROBLEM_FIELDS,
    new_problem,
    open_incident,
    problem,
    record_events,
    transition,
)

UPDATE = (
    "mutation($input: UpdateProblemInput!) { updateProblem(input: $input) { problem { "
    + PROBLEM_FIELDS
    + " } errors { field code message } } }"
)
LINK = (
    "mutation($input: LinkIncidentsToProblemInput!) { linkIncidentsToProblem(input: $input) "
    "{ problem { " + PROBLEM_FIELDS + " } errors { field code message } } }"
)
UNLINK = (
    "mutation($input: UnlinkIncidentFromProblemInput!) { unlinkIncidentFromProblem(input: "
    "$input) { problem { " + PROBLEM_FIELDS + " } errors { field code message } } }"
)


async def update(gql: GraphQLClient, **fields: Any) -> Any:
    return (await gql(UPDATE, input=fields))["updateProblem"]


async def link(gql: GraphQLClient, number: str, incidents: list[str]) -> Any:
    data = await gql(LINK, input={"number": number, "incidentNumbers": incidents})
    return data["linkIncidentsToProblem"]


async def unlink(gql: GraphQLClient, number: str, incident: str) -> Any:
    data = await gql(UNLINK, input={"number": number, "incidentNumber": incident})
    return data["unlinkIncidentFromProblem"]


async def test_an_update_changes_what_it_names_and_keeps_the_rest(gql: GraphQLClient) -> None:
    ci_id = await create_ci(gql, "orders-db", "DATABASE")
    created = await new_problem(gql, description="At the lunch peak", rootCauseCiId=ci_id)

    updated = await update(
        gql,
        number=created["number"],
        expectedVersion=1,
        title="Connection leak",
        workaround="Restart the pods",
        rootCauseCiId=None,
    )

    assert updated["errors"] == []
    changed = updated["problem"]
    assert (changed["title"], changed["workaround"]) == ("Connection leak", "Restart the pods")
    assert changed["description"] == "At the lunch peak" and changed["rootCause"] is None
    assert changed["version"] == 2
    history = (await problem(gql, created["number"]))["history"]["edges"]
    assert [e["node"]["operation"] for e in history] == ["updateProblem", "createProblem"]
    assert [c["field"] for c in history[0]["node"]["changes"]] == [
        "rootCauseCiId",
        "title",
        "workaround",
    ]


async def test_an_update_based_on_a_stale_version_is_a_conflict_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    number = (await new_problem(gql))["number"]
    assert (await update(gql, number=number, expectedVersion=1, title="first"))["errors"] == []

    stale = await update(gql, number=number, expectedVersion=1, title="second")

    assert [(e["field"], e["code"]) for e in stale["errors"]] == [("expectedVersion", "CONFLICT")]
    assert (await problem(gql, number))["title"] == "first"


async def test_an_update_refuses_an_unknown_root_cause_and_a_known_error_without_workaround(
    gql: GraphQLClient,
) -> None:
    number = (await new_problem(gql, workaround="Restart"))["number"]
    await transition(gql, number, "ROOT_CAUSE_ANALYSIS")
    await transition(gql, number, "KNOWN_ERROR")

    ci = await update(gql, number=number, expectedVersion=3, rootCauseCiId="no-such-ci")
    cleared = await update(gql, number=number, expectedVersion=3, workaround=None)

    assert [(e["field"], e["code"]) for e in ci["errors"]] == [("rootCauseCiId", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in cleared["errors"]] == [("workaround", "REQUIRED")]
    assert (await problem(gql, number))["version"] == 3


async def test_linking_groups_new_incidents_and_records_it_on_both(
    gql: GraphQLClient, db: Database
) -> None:
    first, second = await open_incident(gql), await open_incident(gql)
    number = (await new_problem(gql, incidentNumbers=[first]))["number"]

    linked = await link(gql, number, [second, first])

    assert linked["errors"] == []
    assert linked["problem"]["incidentNumbers"] == [first, second]
    assert linked["problem"]["version"] == 2
    assert await record_events(db, number) == ["createProblem", "linkIncidentsToProblem"]
    assert await record_events(db, second) == ["createIncident", "linkIncidentsToProblem"]
    assert await record_events(db, first) == ["createIncident", "createProblem"]


async def test_linking_what_the_problem_groups_already_writes_nothing(
    gql: GraphQLClient, db: Database
) -> None:
    incident = await open_incident(gql)
    number = (await new_problem(gql, incidentNumbers=[incident]))["number"]

    again = await link(gql, number, [incident])

    assert again["errors"] == [] and again["problem"]["version"] == 1
    assert await record_events(db, number) == ["createProblem"]


async def test_linking_an_incident_of_another_problem_is_a_conflict(gql: GraphQLClient) -> None:
    incident, free = await open_incident(gql), await open_incident(gql)
    owner = (await new_problem(gql, incidentNumbers=[incident]))["number"]
    number = (await new_problem(gql))["number"]

    refused = await link(gql, number, [free, incident])
    unknown = await link(gql, "PRB0009999", [free])

    [error] = refused["errors"]
    assert (error["field"], error["code"]) == ("incidentNumbers[1]", "CONFLICT")
    assert owner in error["message"]
    assert (await problem(gql, number))["incidentNumbers"] == []
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("number", "NOT_FOUND")]


async def test_two_problems_linking_one_incident_at_once_leave_one_winner(
    gql: GraphQLClient,
) -> None:
    incident = await open_incident(gql)
    numbers = [(await new_problem(gql, f"view {i}"))["number"] for i in range(2)]

    outcomes = await asyncio.gather(*(link(gql, n, [incident]) for n in numbers))

    assert sorted(len(o["errors"]) for o in outcomes) == [0, 1]
    [loser] = [o for o in outcomes if o["errors"]]
    assert loser["errors"][0]["code"] == "CONFLICT"
    grouped = [(await problem(gql, n))["incidentNumbers"] for n in numbers]
    assert sorted(grouped) == [[], [incident]]


async def test_unlinking_frees_the_incident_for_another_problem(
    gql: GraphQLClient, db: Database
) -> None:
    incident = await open_incident(gql)
    number = (await new_problem(gql, incidentNumbers=[incident]))["number"]

    unlinked = await unlink(gql, number, incident)
    other = await new_problem(gql, "Another view", incidentNumbers=[incident])

    assert unlinked["errors"] == [] and unlinked["problem"]["incidentNumbers"] == []
    assert other["incidentNumbers"] == [incident]
    assert await record_events(db, incident) == [
        "createIncident",
        "createProblem",
        "unlinkIncidentFromProblem",
        "createProblem",
    ]


async def test_unlinking_an_incident_the_problem_does_not_group_is_refused(
    gql: GraphQLClient,
) -> None:
    incident = await open_incident(gql)
    number = (await new_problem(gql))["number"]

    refused = await unlink(gql, number, incident)
    unknown = await unlink(gql, number, "INC0009999")

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("incidentNumber", "NOT_FOUND")]
    assert [(e["field"], e["code"]) for e in unknown["errors"]] == [("incidentNumber", "NOT_FOUND")]
