"""Every Neo4j transaction of the API has a timeout (CMDB_NEO4J_QUERY_TIMEOUT_SECONDS); one
stopped there is a typed error (`TIMEOUT`, docs/api.md), not a masked fault."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from neo4j import AsyncManagedTransaction

from api import Settings, create_app
from graph import Database, QueryTimedOut, connect
from tests import conftest
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

# Minutes of work for Neo4j: far longer than the one-second timeout of these tests.
ENDLESS = "UNWIND range(1, 100000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n"


@pytest.fixture
async def impatient(server: conftest.TestServer) -> AsyncIterator[Database]:
    """A database whose transactions Neo4j stops after one second."""
    database = connect(
        server.uri, server.user, server.password, server.database, transaction_timeout=1
    )
    yield database
    await database.close()


def test_the_query_timeout_is_a_setting_of_30_seconds_by_default() -> None:
    assert Settings.from_env({}).neo4j_query_timeout == 30
    env = {"CMDB_NEO4J_QUERY_TIMEOUT_SECONDS": "5"}
    assert Settings.from_env(env).neo4j_query_timeout == 5


async def test_a_transaction_past_its_timeout_raises_query_timed_out(impatient: Database) -> None:
    with pytest.raises(QueryTimedOut) as stopped:
        await impatient.read_rows("test.endless", ENDLESS)
    assert stopped.value.timeout_seconds == 1
    assert "after its timeout of 1 s" in str(stopped.value)


async def test_a_write_stopped_at_its_timeout_answers_timeout_and_writes_nothing(
    settings: Settings, db: Database, impatient: Database, gql: GraphQLClient
) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    app = create_app(dataclasses.replace(settings, neo4j_query_timeout=1), impatient)
    locked = asyncio.Event()
    release = asyncio.Event()

    async def hold_the_ci(tx: AsyncManagedTransaction) -> None:
        # A write lock on the CI, held until the request has been stopped.
        await tx.run("MATCH (c:CI {id: $id}) SET c.lockedByTest = true", id=ci_id)
        locked.set()
        await release.wait()
        raise RuntimeError("rolled back on purpose")

    holder = asyncio.create_task(db.write("test.lock", hold_the_ci))
    await locked.wait()
    update = (
        'mutation($id: ID!) { updateCI(input: {id: $id, owner: "ops", expectedVersion: 1}) '
        "{ ci { owner } errors { code } } }"
    )
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://cmdb.test", headers=conftest.bearer()
            ) as http:
                response = await http.post(
                    "/graphql", json={"query": update, "variables": {"id": ci_id}}
                )
    finally:
        release.set()
        with pytest.raises(RuntimeError):
            await holder
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert error["extensions"]["timeoutSeconds"] == 1
    assert error["message"].startswith("Neo4j stopped the question at its time limit")
    data = await gql("query($id: ID!) { ci(id: $id) { owner version } }", id=ci_id)
    assert data == {"ci": {"owner": None, "version": 1}}
