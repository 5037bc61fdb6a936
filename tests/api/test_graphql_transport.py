from __future__ import annotations

import httpx

from api import Settings, create_app
from graph.embedded._launcher import free_port
from tests.conftest import AUTH_ENV, bearer


async def test_graphql_answers_503_with_a_clear_error_while_neo4j_is_gone() -> None:
    settings = Settings.from_env(
        {
            "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
            "NEO4J_PASSWORD": "irrelevant",
            **AUTH_ENV,
        }
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
            response = await http.post(
                "/graphql", json={"query": "{ cis(first: 1) { totalCount } }"}, headers=bearer()
            )

    assert response.status_code == 503
    body = response.json()
    assert body["data"] is None
    error = body["errors"][0]
    assert error["message"] == "The graph database is unavailable; retry in a moment."
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["correlationId"]


async def test_graphql_over_get_serves_queries(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ cis(first: 1) { totalCount } }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"cis": {"totalCount": 0}}}


async def test_mutations_over_get_are_refused(client: httpx.AsyncClient) -> None:
    query = 'mutation { createCI(input: {name: "x", class: "SERVER"}) { errors { code } } }'
    response = await client.get("/graphql", params={"query": query})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {
        "errors": [
            {
                "message": "Mutations are allowed only over POST.",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
    }
