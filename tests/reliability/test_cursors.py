"""Forged cursors are bad requests, never faults (docs/api.md, "Pagination"): every part of
every kind of cursor is checked against what its ordering writes there (a date, an id, a
number, a record number, a relationship type) before any query runs."""

from __future__ import annotations

import base64
from typing import Any

import orjson
import pytest

from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci


def forged(*parts: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(parts))).decode()


CIS = "query($a: String, $o: CIOrder) { cis(after: $a, orderBy: $o) { totalCount } }"
INCIDENTS = (
    "query($a: String, $o: IncidentOrder) { incidents(after: $a, orderBy: $o) { totalCount } }"
)
CHANGES = "query($a: String, $o: ChangeOrder) { changes(after: $a, orderBy: $o) { totalCount } }"
PROBLEMS = "query($a: String) { problems(after: $a) { edges { cursor } } }"
KNOWN_ERRORS = 'query($a: String) { knownErrors(search: "disk", after: $a) { edges { cursor } } }'
RELEASES = "query($a: String) { releases(after: $a) { edges { cursor } } }"
HEALTH = "query($a: String) { cmdbHealth { %s(after: $a) { edges { cursor } } } }"

# (query, its variables besides the cursor, the forged cursor): each part but one is what the
# server writes; the one that is not is the attack.
FORGED: dict[str, tuple[str, dict[str, Any], str]] = {
    "cis by name, an id with quotes": (
        CIS,
        {"o": {"field": "NAME"}},
        forged("NAME", "ASC", "web", "x' OR '1'='1"),
    ),
    "cis by creation, a 13th month": (
        CIS,
        {"o": {"field": "CREATED_AT"}},
        forged("CREATED_AT", "ASC", "2024-13-01T00:00:00Z", "ci-1"),
    ),
    "cis by update, a date without time": (
        CIS,
        {"o": {"field": "UPDATED_AT"}},
        forged("UPDATED_AT", "ASC", "2024-01-01", "ci-1"),
    ),
    "cis by criticality, a word": (
        CIS,
        {"o": {"field": "CRITICALITY"}},
        forged("CRITICALITY", "ASC", "high", "ci-1"),
    ),
    "incidents by opening, no date": (
        INCIDENTS,
        {"o": {"field": "OPENED_AT"}},
        forged("OPENED_AT", "DESC", "yesterday", "INC0001001"),
    ),
    "incidents by number, no number": (
        INCIDENTS,
        {"o": {"field": "NUMBER", "direction": "ASC"}},
        forged("NUMBER", "ASC", "INC0001001", "1 OR 1"),
    ),
    "incidents by priority, a word": (
        INCIDENTS,
        {"o": {"field": "PRIORITY", "direction": "ASC"}},
        forged("PRIORITY", "ASC", "urgent", "INC0001001"),
    ),
    "changes by planned start, no date": (
        CHANGES,
        {"o": {"field": "PLANNED_START", "direction": "ASC"}},
        forged("PLANNED_START", "ASC", "soon", "CHG0001001"),
    ),
    "problems, no date": (PROBLEMS, {}, forged("problems", "last week", "PRB0001001")),
    "known errors, a score that is no number": (
        KNOWN_ERRORS,
        {},
        forged("knownErrors", "NaN", "PRB0001001"),
    ),
    "releases, no release number": (RELEASES, {}, forged("REL'0001", "DESC")),
    "orphans, an id with spaces": (HEALTH % "orphans", {}, forged("orphans", "web", "a b")),
    "stale CIs, no date": (HEALTH % "staleCIs", {}, forged("staleCIs", "old", "ci-1")),
    "stale relationships, no edge key": (
        HEALTH % "staleRelationships",
        {},
        forged("staleRelationships", "2024-01-01T00:00:00Z", "not an edge key"),
    ),
    "incomplete CIs, an empty id": (
        HEALTH % "incompleteCIs",
        {},
        forged("incompleteCIs", "web", ""),
    ),
}


def refused(body: dict[str, Any]) -> str:
    assert body["errors"], body
    codes = [error["extensions"]["code"] for error in body["errors"]]
    assert codes == ["BAD_USER_INPUT"], body
    message: str = body["errors"][0]["message"]
    return message


@pytest.mark.parametrize("case", sorted(FORGED))
async def test_a_forged_cursor_of_a_list_is_a_bad_request(gql: GraphQLClient, case: str) -> None:
    query, variables, cursor = FORGED[case]
    message = refused(await gql.raw(query, a=cursor, **variables))
    assert "cursor" in message


async def test_a_forged_history_cursor_is_a_bad_request_not_a_masked_fault(
    gql: GraphQLClient,
) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    query = (
        "query($id: ID!, $a: String) { ci(id: $id) { history(after: $a) { edges { cursor } } } }"
    )
    for cursor in (forged("x", "y"), forged("2024-01-01T00:00:00Z", "id' OR 1=1")):
        message = refused(await gql.raw(query, id=ci_id, a=cursor))
        assert message == f"'{cursor}' is not a cursor this API returned"


async def test_a_history_cursor_the_server_wrote_continues_the_history(
    gql: GraphQLClient,
) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    await gql(
        'mutation($id: ID!) { updateCI(input: {id: $id, owner: "ops", expectedVersion: 1}) '
        "{ errors { code } } }",
        id=ci_id,
    )
    query = (
        "query($id: ID!, $a: String) { ci(id: $id) { history(first: 1, after: $a) "
        "{ edges { cursor node { operation } } } } }"
    )
    first = await gql(query, id=ci_id)
    [edge] = first["ci"]["history"]["edges"]
    second = await gql(query, id=ci_id, a=edge["cursor"])
    assert [e["node"]["operation"] for e in second["ci"]["history"]["edges"]] == ["createCI"]


async def test_a_forged_neighbour_cursor_is_a_bad_request(gql: GraphQLClient) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    query = (
        "query($id: ID!, $a: String) { ci(id: $id) { dependsOn(after: $a) { edges { cursor } } } }"
    )
    for cursor in (forged("NOT_A_TYPE", "db", "ci-1"), forged("RUNS_ON", "db", "a\nb")):
        refused(await gql.raw(query, id=ci_id, a=cursor))


async def test_a_forged_impact_cursor_is_a_bad_request(gql: GraphQLClient) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    query = (
        "query($ids: [ID!]!, $a: String) { impact(ciIds: $ids) { "
        "services(after: $a) { edges { cursor } } } }"
    )
    for cursor in (forged("1", "DOWN", "shop", "id with spaces"), forged("9", "DOWN", "s", "i")):
        refused(await gql.raw(query, ids=[ci_id], a=cursor))
    impacted = (
        "query($ids: [ID!]!, $a: String) { impact(ciIds: $ids) { "
        "impacted(after: $a) { totalCount } } }"
    )
    refused(await gql.raw(impacted, ids=[ci_id], a=forged("one", "2")))
