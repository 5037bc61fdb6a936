"""CMDB_INTROSPECTION and CMDB_GRAPHIQL (docs/operations.md, "Production configuration"):
off, `__schema` and `__type` are refused for everyone, no error suggests a name, and
`/graphql` serves no GraphiQL; `__typename` and queries over GET still answer."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from api import Settings, SettingsError, create_app
from graph import Database
from tests.conftest import bearer

DISABLED = "GraphQL introspection has been disabled, but the requested query contained the field"


@pytest.fixture
async def closed(settings: Settings, db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """An admin's client of an application with introspection and GraphiQL off."""
    app = create_app(dataclasses.replace(settings, introspection=False, graphiql=False), db)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://cmdb.test", headers=bearer()
        ) as http,
    ):
        yield http


async def errors_of(http: httpx.AsyncClient, query: str, **variables: Any) -> list[str]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    return [e["message"] for e in response.json().get("errors", [])]


def test_introspection_and_graphiql_are_on_by_default_and_settings_turn_them_off() -> None:
    assert Settings.from_env({}).introspection is True
    assert Settings.from_env({}).graphiql is True
    off = Settings.from_env({"CMDB_INTROSPECTION": "false", "CMDB_GRAPHIQL": "off"})
    assert (off.introspection, off.graphiql) == (False, False)
    with pytest.raises(SettingsError, match="CMDB_INTROSPECTION must be true or false"):
        Settings.from_env({"CMDB_INTROSPECTION": "sometimes"})


async def test_with_introspection_off_an_admin_gets_no_schema_and_no_type(
    closed: httpx.AsyncClient,
) -> None:
    schema = await errors_of(closed, "{ __schema { queryType { name } } }")
    one_type = await errors_of(closed, '{ __type(name: "Query") { name } }')

    assert schema[0] == f"{DISABLED} '__schema'."
    assert one_type[0] == f"{DISABLED} '__type'."


async def test_with_introspection_off_typename_still_answers_over_post_and_get(
    closed: httpx.AsyncClient,
) -> None:
    posted = await closed.post("/graphql", json={"query": "{ __typename }"})
    got = await closed.get("/graphql", params={"query": "{ __typename }"})

    assert posted.json() == {"data": {"__typename": "Query"}}
    assert got.json() == {"data": {"__typename": "Query"}}


async def test_with_introspection_off_no_error_suggests_a_name(
    closed: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    field = "{ cis { totalCont } }"
    argument = "{ cis(frist: 1) { totalCount } }"
    enum = "query($c: CIClass) { cis(filter: {class: $c}) { totalCount } }"

    open_errors = [
        *await errors_of(client, field),
        *await errors_of(client, argument),
        *await errors_of(client, enum, c="SERVERS"),
    ]
    closed_errors = [
        *await errors_of(closed, field),
        *await errors_of(closed, argument),
        *await errors_of(closed, enum, c="SERVERS"),
    ]

    assert len(open_errors) == len(closed_errors) == 3
    assert all("Did you mean" in message for message in open_errors), open_errors
    assert not any("Did you mean" in message for message in closed_errors), closed_errors
    assert closed_errors[0] == "Cannot query field 'totalCont' on type 'CIConnection'."


async def test_with_graphiql_off_a_browser_gets_a_404_and_no_page(
    closed: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    page = await client.get("/graphql", headers={"accept": "text/html"})
    refused = await closed.get("/graphql", headers={"accept": "text/html"})

    assert page.status_code == 200 and "GraphiQL" in page.text
    assert refused.status_code == 404
    assert "GraphiQL" not in refused.text
