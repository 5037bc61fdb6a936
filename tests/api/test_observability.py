"""Operability: `/metrics` in Prometheus' format, JSON log lines carrying the request id
(`X-Request-Id`), query texts only at debug level, masked faults traceable to their log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api import Settings, create_app
from api._logging import configure_logging
from graph import Database
from graph.impact import _analyst
from tests.conftest import GraphQLClient, bearer


@pytest.fixture
async def fresh(settings: Settings, db: Database) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """An application of its own, so that its metrics count only this test's requests."""
    application = create_app(settings, db)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://cmdb.test", headers=bearer()
        ) as http:
            yield application, http


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_count_requests_errors_queries_topology_loads_and_subscribers(
    fresh: tuple[Any, httpx.AsyncClient],
) -> None:
    _, http = fresh
    count = "query Count { cis(first: 1) { totalCount } }"
    create = 'mutation Add { createCI(input: {name: "web", class: "SERVER"}) { errors { code } } }'
    outage = '{ simulateOutage(ciIds: ["nope"]) { unknownCiIds } }'

    await http.post("/graphql", json={"query": count})
    await http.post("/graphql", json={"query": count})
    await http.post("/graphql", json={"query": "{ cis("})
    created = await http.post("/graphql", json={"query": create})
    await http.post("/graphql", json={"query": outage})
    response = await http.get("/metrics")

    assert created.json() == {"data": {"createCI": {"errors": []}}}
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    assert found[("cmdb_graphql_requests_total", (("operation", "Count"),))] == 2
    assert found[("cmdb_graphql_requests_total", (("operation", "Add"),))] == 1
    assert found[("cmdb_graphql_request_duration_seconds_count", (("operation", "Count"),))] == 2
    assert found[("cmdb_graphql_errors_total", (("code", "GRAPHQL_PARSE_FAILED"),))] == 1
    assert found[("cmdb_neo4j_query_duration_seconds_count", ())] >= 3
    assert (
        found[
            (
                "cmdb_neo4j_transaction_duration_seconds_count",
                (("operation", "topology.load"), ("outcome", "ok")),
            )
        ]
        == 1
    )
    # Loaded at start-up only: the new CI came as a delta, applied before the question.
    assert found[("cmdb_topology_loads_total", ())] == 1
    assert found[("cmdb_topology_reloads_total", (("reason", "start"),))] == 1
    assert found[("cmdb_topology_deltas_applied_total", ())] == 1
    assert found[("cmdb_topology_delta_apply_duration_seconds_count", ())] == 1
    # Read from the bus when scraped: nobody subscribes here (tests/api/test_websocket.py does).
    assert found[("cmdb_event_bus_subscribers", ())] == 0


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The process's log as `cmdb serve` writes it (JSON lines), captured."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("info", "json", stream)
    yield stream
    root.handlers, root.level = handlers, level


def parsed(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_every_log_line_is_json_with_the_request_id_the_response_names(
    client: httpx.AsyncClient, log_lines: io.StringIO
) -> None:
    given = await client.post(
        "/graphql",
        json={"query": "query Count { cis(first: 1) { totalCount } }"},
        headers={"x-request-id": "trace-42"},
    )
    made = await client.get("/healthz", headers={"x-request-id": "not an id; drop it"})

    assert given.headers["x-request-id"] == "trace-42"
    assert made.headers["x-request-id"] != "not an id; drop it"
    lines = parsed(log_lines)
    access = [line for line in lines if line["logger"] == "cmdb.access"]
    assert [(a["request_id"], a["path"], a["status"], a["operation"]) for a in access] == [
        ("trace-42", "/graphql", 200, "Count"),
        (made.headers["x-request-id"], "/healthz", 200, None),
    ]
    assert all(line["level"] == "info" and line["time"] for line in access)


async def test_query_texts_are_logged_only_at_debug_level(
    gql: GraphQLClient, log_lines: io.StringIO
) -> None:
    query = '{ cis(first: 1, filter: {search: "secret-name-42"}) { totalCount } }'

    await gql.raw(query)
    at_info = log_lines.getvalue()
    logging.getLogger().setLevel(logging.DEBUG)
    await gql.raw(query)

    assert "secret-name-42" not in at_info
    assert "secret-name-42" in log_lines.getvalue()


async def test_a_masked_fault_carries_the_request_id_of_its_log_line(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    log_lines: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("the algorithm broke")

    monkeypatch.setattr(_analyst, "simulate_outage", broken)
    response = await client.post(
        "/graphql", json={"query": '{ simulateOutage(ciIds: ["x"]) { unknownCiIds } }'}
    )

    [error] = response.json()["errors"]
    request_id = response.headers["x-request-id"]
    assert error["message"] == "Internal server error."
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"] == request_id
    [logged] = [line for line in parsed(log_lines) if line["logger"] == "cmdb.errors"]
    assert logged["request_id"] == request_id
    assert logged["level"] == "error"
    assert request_id in logged["message"]
    assert "RuntimeError: the algorithm broke" in logged["exception"]
