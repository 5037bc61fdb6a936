from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from graph import Database
from migrations import migrate
from tests.schema_reset import drop_everything, restore


@pytest.fixture
async def unmigrated(db: Database) -> AsyncIterator[Database]:
    await drop_everything(db)
    yield db
    await restore(db)


async def test_healthz_answers_while_the_process_lives(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_503_before_migrations_and_200_after(
    client: httpx.AsyncClient, unmigrated: Database
) -> None:
    before = await client.get("/readyz")

    assert before.status_code == 503
    assert before.json()["status"] == "unavailable"
    assert "migrations not applied: V0001" in before.json()["reason"]

    await migrate(unmigrated, "pytest")
    after = await client.get("/readyz")

    assert after.status_code == 200
    assert after.json()["status"] == "ready"


async def test_graphiql_is_served_to_a_browser(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_readyz_is_503_with_the_reason_when_neo4j_is_unreachable() -> None:
    from api import Settings, create_app
    from graph.embedded import free_port

    settings = Settings.from_env(
        {
            "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
            "NEO4J_PASSWORD": "irrelevant",
            "CMDB_ALLOWED_HOSTS": "cmdb.test",
        }
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
            response = await http.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "Neo4j is not reachable" in response.json()["reason"]
