"""Overloaded documents are refused before validation (docs/limits.md, resolvers/
_document_limits.py): a field or fragment repeated in one selection set more than five times,
a location with more than four directives. One error answers, and nothing runs."""

from __future__ import annotations

from typing import Any

import httpx

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci


async def post(client: httpx.AsyncClient, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_a_field_selected_six_times_in_one_selection_set_is_refused_with_one_error(
    client: httpx.AsyncClient, gql: GraphQLClient, db: Database
) -> None:
    await create_ci(gql, "web", "SERVER")
    trips = db.round_trips

    body = await post(client, "{ cis { edges { node { " + "name " * 6 + "} } } }")

    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == (
        "'name' is selected 6 times in one selection set, more than the limit of 5: select it once."
    )
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "limit": 5}
    assert db.round_trips == trips


async def test_five_hundred_typenames_get_one_error_not_a_merged_answer(
    client: httpx.AsyncClient,
) -> None:
    body = await post(client, "query cop { " + "__typename " * 500 + "}")

    assert body["data"] is None
    assert [e["extensions"]["limit"] for e in body["errors"]] == [5]


async def test_a_fragment_spread_six_times_is_refused_and_five_repeats_run(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    await create_ci(gql, "web", "SERVER")
    fragment = "fragment N on ConfigurationItem { name }"
    six = await post(client, "{ cis { edges { node { " + "...N " * 6 + "} } } } " + fragment)
    five = await gql("{ cis { edges { node { " + "...N name " * 5 + "} } } } " + fragment)

    assert [e["message"] for e in six["errors"]] == [
        "'...N' is selected 6 times in one selection set, more than the limit of 5: select it once."
    ]
    assert five == {"cis": {"edges": [{"node": {"name": "web"}}]}}


async def test_aliases_of_one_field_are_separate_selections(gql: GraphQLClient) -> None:
    await create_ci(gql, "db", "DATABASE")
    aliases = " ".join(f"n{i}: name" for i in range(10))

    data = await gql("{ cis { edges { node { " + aliases + " } } } }")

    assert data["cis"]["edges"][0]["node"] == {f"n{i}": "db" for i in range(10)}


async def test_ten_directives_on_one_field_get_one_error_not_ten(
    client: httpx.AsyncClient,
) -> None:
    body = await post(client, "query cop { __typename " + "@aa" * 10 + " }")

    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "10 directives on one location, more than the limit of 4."
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED", "limit": 4}


async def test_directives_on_an_operation_or_a_fragment_count_too(
    client: httpx.AsyncClient,
) -> None:
    on_operation = await post(client, "query cop " + "@aa " * 5 + "{ __typename }")
    on_fragment = await post(
        client, "{ ...F } fragment F on Query " + "@aa " * 5 + "{ __typename }"
    )

    for body in (on_operation, on_fragment):
        assert [e["message"] for e in body["errors"]] == [
            "5 directives on one location, more than the limit of 4."
        ]


async def test_skip_and_include_on_one_field_run(gql: GraphQLClient) -> None:
    data = await gql("{ __typename @skip(if: false) @include(if: true) }")

    assert data == {"__typename": "Query"}
