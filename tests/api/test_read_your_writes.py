"""Read-your-writes across API processes: two `cmdb serve` processes over the session's Neo4j,
each with its own topology projection; a write acknowledged by one is in the very next impact
answer of the other (it applies the write's topology delta before answering)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest

from graph import Database
from tests import conftest
from tests.conftest import GraphQLClient
from tests.live import serve_process

CREATE = """mutation($name: String!) {
  createCI(input: {name: $name, class: "APPLICATION"}) { ci { id } errors { code } } }"""
RELATE = """mutation($from: ID!, $to: ID!) {
  relateCIs(input: {from: $from, to: $to, type: DEPENDS_ON}) { errors { code } } }"""
UNRELATE = """mutation($from: ID!, $to: ID!) {
  unrelateCIs(input: {from: $from, to: $to, type: DEPENDS_ON}) { errors { code } } }"""
RENAME = """mutation($id: ID!, $name: String!) {
  updateCI(input: {id: $id, expectedVersion: 1, name: $name}) { errors { code } } }"""
RETIRE = "mutation($id: ID!) { retireCI(input: {id: $id}) { errors { code } } }"
IMPACT = """query($ids: [ID!]!) {
  impact(ciIds: $ids) { count impacted { edges { node { ci { name } depth } } } } }"""


@asynccontextmanager
async def serve(server: conftest.TestServer) -> AsyncIterator[GraphQLClient]:
    """`cmdb serve` in a process of its own, until the block ends."""
    async with (
        serve_process(server) as base,
        httpx.AsyncClient(base_url=base, headers=conftest.bearer(), timeout=60.0) as http,
    ):
        yield GraphQLClient(http)


@pytest.fixture
async def two(
    server: conftest.TestServer, db: Database
) -> AsyncIterator[tuple[GraphQLClient, GraphQLClient]]:
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(serve(server))
        second = await stack.enter_async_context(serve(server))
        yield first, second


def names(data: dict[str, Any]) -> dict[str, int]:
    edges = data["impact"]["impacted"]["edges"]
    return {e["node"]["ci"]["name"]: e["node"]["depth"] for e in edges}


async def test_a_write_through_one_process_is_in_the_next_answer_of_another(
    two: tuple[GraphQLClient, GraphQLClient],
) -> None:
    writer, reader = two
    made = [(await writer(CREATE, name=n))["createCI"]["ci"]["id"] for n in ("db", "app", "web")]
    db, app, web = made
    assert names(await reader(IMPACT, ids=[db])) == {}

    assert (await writer(RELATE, **{"from": app, "to": db}))["relateCIs"]["errors"] == []
    assert names(await reader(IMPACT, ids=[db])) == {"app": 1}

    assert (await writer(RELATE, **{"from": web, "to": app}))["relateCIs"]["errors"] == []
    assert names(await reader(IMPACT, ids=[db])) == {"app": 1, "web": 2}

    assert (await writer(RENAME, id=web, name="shop"))["updateCI"]["errors"] == []
    assert names(await reader(IMPACT, ids=[db])) == {"app": 1, "shop": 2}

    assert (await writer(RETIRE, id=app))["retireCI"]["errors"] == []
    assert names(await reader(IMPACT, ids=[db])) == {}

    # And the other way round: the reader writes, the writer reads.
    assert (await reader(UNRELATE, **{"from": web, "to": app}))["unrelateCIs"]["errors"] == []
    assert (await reader(RELATE, **{"from": web, "to": db}))["relateCIs"]["errors"] == []
    assert names(await writer(IMPACT, ids=[db])) == {"shop": 1}
