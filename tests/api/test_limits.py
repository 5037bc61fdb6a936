"""The limits that keep the server responsive (docs/limits.md), through HTTP."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database, connect
from graph.impact import _analyst
from tests import conftest
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

GRAPHQL_RESPONSE = "application/graphql-response+json"


def ten_levels(ci_id: str) -> str:
    """The question of the issue: dependsOn and dependents alternating, ten levels deep."""
    inner = "name"
    for level in range(10):
        if level % 2 == 0:
            inner = f"dependsOn {{ edges {{ node {{ to {{ name {inner} }} }} }} }}"
        else:
            inner = f"dependents {{ edges {{ node {{ from {{ name {inner} }} }} }} }}"
    return f'{{ ci(id: "{ci_id}") {{ name {inner} }} }}'


def settings_with(server: conftest.TestServer, **overrides: str) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **conftest.AUTH_ENV,
            **overrides,
        }
    )


@pytest.fixture
async def open_app(
    db: Database,
) -> AsyncIterator[Callable[..., Any]]:
    """Opens an application with its own settings (over the session's database)."""
    stack: list[Any] = []

    async def start(settings: Settings, database: Database | None = None) -> httpx.AsyncClient:
        application: Starlette = create_app(settings, database or db)
        lifespan = application.router.lifespan_context(application)
        await lifespan.__aenter__()
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application),
            base_url="http://cmdb.test",
            headers=conftest.bearer(),
        )
        stack.append((lifespan, http))
        return http

    yield start
    for lifespan, http in reversed(stack):
        await http.aclose()
        await lifespan.__aexit__(None, None, None)


def cost_error(body: dict[str, Any]) -> dict[str, Any]:
    [error] = [e for e in body["errors"] if "cost" in e["extensions"]]
    return dict(error)


async def test_ten_alternating_levels_are_refused_before_execution_with_cost_and_limit(
    client: httpx.AsyncClient, gql: GraphQLClient, db: Database
) -> None:
    ci_id = await create_ci(gql, "web", "SERVER")
    trips = db.round_trips

    response = await client.post("/graphql", json={"query": ten_levels(ci_id)})

    body = response.json()
    assert response.status_code == 200
    assert body["data"] is None
    error = cost_error(body)
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["extensions"]["limit"] == 50_000
    assert error["extensions"]["cost"] > 20**10
    assert (
        f"costs {error['extensions']['cost']}, more than the limit of 50000" in (error["message"])
    )
    assert db.round_trips == trips


async def test_five_hundred_aliases_of_impact_are_refused_before_execution(
    client: httpx.AsyncClient, gql: GraphQLClient, db: Database
) -> None:
    ci_id = await create_ci(gql, "db", "DATABASE")
    aliases = " ".join(f'a{i}: impact(ciIds: ["{ci_id}"]) {{ count }}' for i in range(500))
    trips = db.round_trips

    response = await client.post(
        "/graphql", json={"query": f"{{ {aliases} }}"}, headers={"accept": GRAPHQL_RESPONSE}
    )

    body = response.json()
    assert response.status_code == 400
    assert "data" not in body
    assert cost_error(body)["extensions"] == {
        "code": "GRAPHQL_VALIDATION_FAILED",
        "cost": 500 * 501,
        "limit": 50_000,
    }
    assert {"message": "500 aliases found. Allowed: 50"} in [
        {"message": e["message"]} for e in body["errors"]
    ]
    assert db.round_trips == trips


async def test_a_query_within_the_limits_runs(gql: GraphQLClient) -> None:
    web = await create_ci(gql, "web", "SERVER")
    db_id = await create_ci(gql, "db", "DATABASE")
    await relate(gql, web, db_id, "DEPENDS_ON")
    query = """query($id: ID!) { ci(id: $id) { name
      dependsOn(first: 100) { edges { node { to { name dependents { edges { node {
        from { name } } } } } } } } } }"""

    data = await gql(query, id=web)

    [edge] = data["ci"]["dependsOn"]["edges"]
    assert edge["node"]["to"]["name"] == "db"
    assert edge["node"]["to"]["dependents"]["edges"] == [{"node": {"from": {"name": "web"}}}]


async def test_the_cost_limit_is_a_setting(
    open_app: Callable[..., Any], server: conftest.TestServer, gql: GraphQLClient
) -> None:
    http = await open_app(settings_with(server, CMDB_MAX_QUERY_COST="100"))

    page = "query($size: Int) { cis(first: $size) { edges { node { name } } } }"
    refused = await http.post("/graphql", json={"query": page, "variables": {"size": 100}})
    allowed = await http.post("/graphql", json={"query": page, "variables": {"size": 99}})

    assert cost_error(refused.json())["extensions"] == {
        "code": "GRAPHQL_VALIDATION_FAILED",
        "cost": 101,
        "limit": 100,
    }
    assert allowed.json() == {"data": {"cis": {"edges": []}}}


async def test_depth_and_tokens_are_limited(
    open_app: Callable[..., Any], server: conftest.TestServer
) -> None:
    http = await open_app(
        settings_with(server, CMDB_MAX_QUERY_DEPTH="3", CMDB_MAX_QUERY_TOKENS="100")
    )
    deep = "{ cis { edges { node { dependsOn { totalCount } } } } }"
    wide = "{ " + " ".join(f"t{i}: __typename" for i in range(40)) + " }"

    depth = (await http.post("/graphql", json={"query": deep})).json()
    tokens = (await http.post("/graphql", json={"query": wide})).json()

    assert depth["errors"][0]["message"] == "'anonymous' exceeds maximum operation depth of 3"
    assert depth["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert tokens["errors"][0]["message"].startswith(
        "Syntax Error: Document contains more than 100 tokens"
    )
    assert tokens["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_a_body_over_the_limit_is_refused_with_413(
    open_app: Callable[..., Any], server: conftest.TestServer
) -> None:
    http = await open_app(settings_with(server, CMDB_MAX_BODY_BYTES="2048"))
    padding = "x" * 4096

    declared = await http.post(
        "/graphql", json={"query": "{ __typename }", "variables": {"p": padding}}
    )

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"p": "'
        for _ in range(4):
            yield b"x" * 1024
        yield b'"}}'

    streamed = await http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.json() == {
            "errors": [
                {
                    "message": "The request body is larger than 2048 bytes.",
                    "extensions": {"code": "BAD_USER_INPUT", "limit": 2048},
                }
            ]
        }


async def test_batched_operations_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}]
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "Batched operations (a JSON array) are not accepted: send one per"
                " request.",
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]
    }


@pytest.fixture
def gated_outage(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The outage simulation waits for `gate` after setting `entered`: a stand-in for a large
    computation that lasts until the test lets it finish. Were it run on the event loop, the
    loop would stall until the gate's own timeout."""
    entered, gate = threading.Event(), threading.Event()
    simulate = _analyst.simulate_outage

    def gated(*args: Any) -> Any:
        entered.set()
        gate.wait(timeout=60)
        return simulate(*args)

    monkeypatch.setattr(_analyst, "simulate_outage", gated)
    return entered, gate


OUTAGE = "query($ids: [ID!]!) { simulateOutage(ciIds: $ids) { failed { name } } }"


async def test_healthz_answers_while_a_topology_question_computes(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    gated_outage: tuple[threading.Event, threading.Event],
) -> None:
    entered, gate = gated_outage
    ci_id = await create_ci(gql, "core", "NETWORK_DEVICE")
    heavy = asyncio.create_task(
        client.post("/graphql", json={"query": OUTAGE, "variables": {"ids": [ci_id]}})
    )
    assert await asyncio.to_thread(entered.wait, 30)

    health = await client.get("/healthz")
    small = await client.post("/graphql", json={"query": "{ cis(first: 1) { totalCount } }"})
    still_computing = not heavy.done()
    gate.set()
    outage = await heavy

    assert health.json() == {"status": "ok"}
    assert small.json() == {"data": {"cis": {"totalCount": 1}}}
    assert still_computing
    assert outage.json() == {"data": {"simulateOutage": {"failed": [{"name": "core"}]}}}


async def test_a_request_past_its_time_budget_gets_a_clear_error(
    open_app: Callable[..., Any],
    server: conftest.TestServer,
    gql: GraphQLClient,
    gated_outage: tuple[threading.Event, threading.Event],
) -> None:
    _, gate = gated_outage
    ci_id = await create_ci(gql, "core", "NETWORK_DEVICE")
    http = await open_app(settings_with(server, CMDB_TIME_BUDGET_SECONDS="1"))

    try:
        response = await http.post(
            "/graphql", json={"query": OUTAGE, "variables": {"ids": [ci_id]}}
        )
    finally:
        gate.set()

    assert response.status_code == 503
    assert response.json() == {
        "errors": [
            {
                "message": "The request ran longer than its time budget of 1 s and was stopped:"
                " ask a smaller question (fewer CIs, a smaller maxDepth, smaller pages).",
                "extensions": {"code": "SERVICE_UNAVAILABLE", "timeBudgetSeconds": 1},
            }
        ]
    }


async def test_an_exhausted_connection_pool_answers_503_with_retry_after(
    open_app: Callable[..., Any], server: conftest.TestServer
) -> None:
    small_pool = connect(
        server.uri,
        server.user,
        server.password,
        server.database,
        options={"max_connection_pool_size": 1, "connection_acquisition_timeout": 1.0},
    )
    http = await open_app(settings_with(server), small_pool)
    release = asyncio.Event()
    holding = asyncio.Event()

    async def hold(tx: Any) -> None:
        holding.set()
        await release.wait()

    holder = asyncio.create_task(small_pool.read("test.hold", hold))
    await holding.wait()
    try:
        response = await http.post("/graphql", json={"query": "{ cis(first: 1) { totalCount } }"})
    finally:
        release.set()
        await holder
        await small_pool.close()

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    [error] = response.json()["errors"]
    assert error["message"] == "The graph database is unavailable; retry in a moment."
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
