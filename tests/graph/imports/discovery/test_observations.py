"""Observed relationships in the import: counts on the edge, a declaration never overwritten,
two observing imports at once, the Prometheus text of the service graph through the CLI."""

from __future__ import annotations

import asyncio

from graph import Database, HistoryRepository
from graph.domain import NewCI
from graph.imports import (
    ImportCI,
    ImportRelationship,
    ImportRepository,
    ImportRequest,
    Observation,
)
from tests.conftest import TestServer as Server
from tests.graph.imports.discovery._helpers import FIXTURES, counts, discover, edge_rows

EDGE = (
    "MATCH (:CI {name: 'web'})-[r:DEPENDS_ON]->(:CI {name: 'api'})"
    " RETURN r.source AS source, r.confidence AS confidence, r.callCount AS calls,"
    " r.errorCount AS errors, r.observedBy AS observedBy, r.observedAt IS NOT NULL AS observed"
)


def services() -> list[ImportCI]:
    return [
        ImportCI(NewCI("web", "MICROSERVICE"), "web"),
        ImportCI(NewCI("api", "MICROSERVICE"), "api"),
    ]


def observed(calls: int, errors: int | None = None) -> ImportRelationship:
    return ImportRelationship(
        "web", "api", "DEPENDS_ON", confidence=0.5, observation=Observation(calls, errors)
    )


async def test_an_observation_confirms_a_declared_edge_without_overwriting_it(
    db: Database,
) -> None:
    imports = ImportRepository(db, HistoryRepository(db))
    declared = ImportRelationship("web", "api", "DEPENDS_ON", confidence=1.0)
    await imports.run(ImportRequest("compose", services(), [declared]), "pytest")
    ids = await db.read_rows("t", "MATCH (c:CI) RETURN c.id AS id, c.name AS name")
    by_name = {row["name"]: row["id"] for row in ids}
    row = ImportRelationship(
        by_name["web"], by_name["api"], "DEPENDS_ON", confidence=0.5, observation=Observation(3, 1)
    )

    result = await imports.run(ImportRequest("traces", (), [row]), "pytest")

    assert (result.relationships_created, result.relationships_updated) == (0, 1)
    assert await db.read_rows("t", EDGE) == [
        {
            "source": "compose",
            "confidence": 1.0,
            "calls": 3,
            "errors": 1,
            "observedBy": "traces",
            "observed": True,
        }
    ]


async def test_a_declaration_takes_over_an_edge_known_only_by_observation(
    db: Database,
) -> None:
    imports = ImportRepository(db, HistoryRepository(db))
    await imports.run(ImportRequest("traces", services(), [observed(1)]), "pytest")
    ids = await db.read_rows("t", "MATCH (c:CI) RETURN c.id AS id, c.name AS name")
    by_name = {row["name"]: row["id"] for row in ids}
    same_confidence = ImportRelationship(
        by_name["web"], by_name["api"], "DEPENDS_ON", confidence=0.5
    )

    result = await imports.run(ImportRequest("k8s", (), [same_confidence]), "pytest")

    assert result.relationships_updated == 1
    [edge] = await db.read_rows("t", EDGE)
    assert (edge["source"], edge["confidence"], edge["observedBy"]) == ("k8s", 0.5, "traces")


async def test_the_same_observation_again_records_no_history(db: Database) -> None:
    imports = ImportRepository(db, HistoryRepository(db))
    await imports.run(ImportRequest("traces", services(), [observed(10, 0)]), "pytest")
    before = await counts(db)

    again = await imports.run(ImportRequest("traces", services(), [observed(10, 0)]), "pytest")
    more = await imports.run(ImportRequest("traces", services(), [observed(12, 1)]), "pytest")

    assert (again.relationships_confirmed, more.relationships_updated) == (1, 1)
    after = await counts(db)
    assert after["events"] == before["events"] + 1
    assert (await db.read_rows("t", EDGE))[0]["calls"] == 12


async def test_two_observing_imports_at_once_create_one_edge(db: Database) -> None:
    imports = ImportRepository(db, HistoryRepository(db))
    await imports.run(ImportRequest("traces", services(), []), "pytest")

    results = await asyncio.gather(
        *(
            ImportRepository(db, HistoryRepository(db)).run(
                ImportRequest("traces", services(), [observed(5, 0)]), f"writer-{i}"
            )
            for i in range(4)
        )
    )

    assert sum(r.relationships_created for r in results) == 1
    assert len(await db.read_rows("t", EDGE)) == 1


async def test_service_graph_metrics_sum_requests_and_failures_per_client_and_server(
    server: Server, db: Database
) -> None:
    await discover(server, "k8s", str(FIXTURES / "k8s"), "--source", "k8s")
    metrics = str(FIXTURES / "traces" / "service-graph.prom")

    result = await discover(server, "traces", metrics, "--source", "otel")
    dry = await discover(server, "traces", metrics, "--source", "otel", "--dry-run")

    assert result.exit_code == 0, result.output
    observed_edges = {
        (r["from"], r["to"], r["confidence"], r["calls"], r["errors"])
        for r in await edge_rows(db, "k8s")
        if r["observedBy"] == "otel"
    }
    assert observed_edges == {
        ("Deployment/shop/checkout", "Deployment/shop/payments", 0.95, 1000, 7),
        ("Deployment/shop/payments", "Deployment/shop/redis", 0.8, 100, 0),
    }
    assert "would confirm 2 relationships" in dry.output
