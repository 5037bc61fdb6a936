"""`dependencyDrift(source, days)` through GraphQL after `cmdb discover k8s` and
`cmdb discover traces`: declared and observed dependencies, compared."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from api import Settings, create_app
from graph import Database
from tests.clock import MovableClock
from tests.conftest import TestServer as Server
from tests.conftest import bearer
from tests.graph.imports.discovery._helpers import FIXTURES, discover, edge_rows

DRIFT = """
query ($source: String!, $days: Int!) {
  dependencyDrift(source: $source, days: $days) {
    source days
    declaredNotObserved { from { name class } to { name class } via { name class } declaredBy }
    observedNotDeclared { from { name } to { name } callCount errorCount confidence observedAt }
  }
}
"""


@pytest.fixture
def clock() -> MovableClock:
    # The import stamps `observedAt` with the database's clock: start from the real now.
    return MovableClock(datetime.now(UTC))


@pytest.fixture
async def http(settings: Settings, db: Database, clock: MovableClock) -> AsyncIterator[Any]:
    application = create_app(settings, db, clock=clock)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://cmdb.test", headers=bearer()
        ) as client:
            yield client


async def drift(http: httpx.AsyncClient, source: str, days: int) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": DRIFT, "variables": {"source": source, "days": days}}
    )
    body: dict[str, Any] = response.json()
    return body


async def test_traces_are_recorded_as_observed_edges_with_their_counts(
    server: Server, db: Database
) -> None:
    await discover(server, "k8s", str(FIXTURES / "k8s"), "--source", "k8s")

    result = await discover(
        server, "traces", str(FIXTURES / "traces" / "dependencies.json"), "--source", "traces"
    )

    assert result.exit_code == 0, result.output
    observed = {
        (r["from"], r["to"], r["confidence"], r["calls"], r["errors"], r["source"])
        for r in await edge_rows(db, "k8s")
        if r["observedBy"] == "traces"
    }
    assert observed == {
        ("Deployment/shop/checkout", "Deployment/shop/payments", 0.95, 1000, None, "traces"),
        ("Deployment/shop/checkout", "StatefulSet/shop/orders-db", 0.65, 10, None, "traces"),
        ("Deployment/shop/payments", "Deployment/shop/redis", 0.8, 100, None, "traces"),
    }
    assert "unresolved: checkout -> fraud-check: fraud-check (names no CI of the graph)" in (
        result.output
    )


async def test_drift_lists_declared_but_unobserved_and_observed_but_undeclared(
    server: Server, db: Database, http: httpx.AsyncClient, clock: MovableClock
) -> None:
    await discover(server, "k8s", str(FIXTURES / "k8s"), "--source", "k8s")
    await discover(
        server, "traces", str(FIXTURES / "traces" / "dependencies.json"), "--source", "traces"
    )

    before = db.round_trips
    body = await drift(http, "traces", 7)

    assert db.round_trips - before == 3  # the two drift queries, one batch of CIs
    assert "errors" not in body, body
    found = body["data"]["dependencyDrift"]
    assert (found["source"], found["days"]) == ("traces", 7)
    assert found["declaredNotObserved"] == [
        {
            "from": {"name": "checkout", "class": "MICROSERVICE"},
            "to": {"name": "redis", "class": "CACHE"},
            "via": [{"name": "redis", "class": "LOAD_BALANCER"}],
            "declaredBy": ["k8s", "k8s"],
        }
    ]
    [undeclared] = found["observedNotDeclared"]
    assert {k: v for k, v in undeclared.items() if k != "observedAt"} == {
        "from": {"name": "payments"},
        "to": {"name": "redis"},
        "callCount": 100,
        "errorCount": None,
        "confidence": 0.8,
    }

    clock.advance(days=8)
    later = (await drift(http, "traces", 7))["data"]["dependencyDrift"]

    assert [(d["from"]["name"], d["to"]["name"]) for d in later["declaredNotObserved"]] == [
        ("checkout", "orders-db"),
        ("checkout", "payments"),
        ("checkout", "redis"),
    ]
    assert later["observedNotDeclared"] == []


async def test_drift_refuses_a_window_out_of_bounds(http: httpx.AsyncClient) -> None:
    body = await drift(http, "traces", 0)

    assert body["data"] is None
    assert body["errors"][0]["message"] == "days: must be between 1 and 3650, got 0"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
