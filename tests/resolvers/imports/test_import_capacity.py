"""Capacity figures in an import: `importCIs` rows and the JSON file format state a CI's
capacity of each metric and its current utilisation."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from graph import Database
from graph.imports import read_json
from tests.conftest import GraphQLClient
from tests.resolvers.import_helpers import import_cis, row

CAPACITY = """
query($id: ID!) {
  ci(id: $id) { capacity { metric capacity unit threshold utilisation latest { value } } }
}
"""

FIGURES: list[dict[str, Any]] = [
    {"metric": "storage", "capacity": 1000, "unit": "GiB", "threshold": 0.85, "utilisation": 800},
    {"metric": "cpu", "capacity": 16, "unit": "cores"},
]


async def _ci_id(db: Database, name: str) -> str:
    [found] = await db.read_rows("t", "MATCH (c:CI {name: $name}) RETURN c.id AS id", name=name)
    ci_id: str = found["id"]
    return ci_id


async def _nodes(db: Database) -> tuple[int, int]:
    [found] = await db.read_rows(
        "t",
        "RETURN COUNT { (:Capacity) } AS capacities, COUNT { (:UtilisationReading) } AS readings",
    )
    return found["capacities"], found["readings"]


async def test_an_import_sets_each_capacity_and_records_the_utilisation_as_a_reading(
    gql: GraphQLClient, db: Database
) -> None:
    payload = await import_cis(
        gql, "monitoring", [row("db-1", "db-1", "DATABASE", capacity=FIGURES)]
    )

    assert payload["rowErrors"] == [] and payload["created"] == 1
    shown = (await gql(CAPACITY, id=await _ci_id(db, "db-1")))["ci"]["capacity"]
    assert shown == [
        {
            "metric": "cpu",
            "capacity": 16.0,
            "unit": "cores",
            "threshold": 0.8,
            "utilisation": None,
            "latest": None,
        },
        {
            "metric": "storage",
            "capacity": 1000.0,
            "unit": "GiB",
            "threshold": 0.85,
            "utilisation": 0.8,
            "latest": {"value": 800.0},
        },
    ]
    # A later import replaces the figure and adds a reading; the CI itself is unchanged.
    again = await import_cis(
        gql,
        "monitoring",
        [row("db-1", "db-1", "DATABASE", capacity=[{**FIGURES[0], "capacity": 2000}])],
    )
    assert (again["created"], again["unchanged"]) == (0, 1)
    shown = (await gql(CAPACITY, id=await _ci_id(db, "db-1")))["ci"]["capacity"]
    assert [(f["metric"], f["capacity"], f["utilisation"]) for f in shown] == [
        ("cpu", 16.0, None),
        ("storage", 2000.0, 0.4),
    ]
    assert (await _nodes(db))[0] == 2


async def test_bad_figures_are_row_errors_on_their_field_and_nothing_is_written(
    gql: GraphQLClient, db: Database
) -> None:
    bad = [
        {"metric": "cpu", "capacity": 0, "unit": "cores", "threshold": 1.5},
        {"metric": "cpu", "capacity": 4, "unit": " ", "utilisation": -1},
    ]

    payload = await import_cis(gql, "monitoring", [row("db-1", "db-1", "DATABASE", capacity=bad)])

    assert payload["refused"] is True
    assert sorted((e["field"], e["code"]) for e in payload["rowErrors"]) == [
        ("capacity[0].capacity", "INVALID_VALUE"),
        ("capacity[0].threshold", "INVALID_VALUE"),
        ("capacity[1].metric", "CONFLICT"),
        ("capacity[1].unit", "REQUIRED"),
        ("capacity[1].utilisation", "INVALID_VALUE"),
    ]
    assert await _nodes(db) == (0, 0)
    assert await db.read_rows("t", "MATCH (c:CI) RETURN c.id AS id") == []


def test_the_json_file_format_reads_capacity_figures_and_reports_wrong_types() -> None:
    document = {
        "source": "monitoring",
        "cis": [
            {"externalId": "a", "name": "a", "class": "SERVER", "capacity": FIGURES},
            {"externalId": "b", "name": "b", "class": "SERVER", "capacity": [{"capacity": "x"}]},
            {"externalId": "c", "name": "c", "class": "SERVER", "capacity": "lots"},
        ],
    }

    request = read_json(json.dumps(document))

    first, second, third = request.cis
    assert [(f.metric, f.capacity, f.threshold, f.utilisation) for f in first.capacity] == [
        ("storage", 1000.0, 0.85, 800.0),
        ("cpu", 16.0, 0.8, None),
    ]
    assert [(e.field, e.message) for e in second.parse_errors] == [
        ("capacity[0].capacity", "must be a number")
    ]
    assert [(e.field, e.message) for e in third.parse_errors] == [
        ("capacity", "must be a list of figures")
    ]


async def test_parallel_imports_of_the_same_figure_write_one_capacity(
    gql: GraphQLClient, db: Database
) -> None:
    created = await import_cis(gql, "monitoring", [row("db-1", "db-1", "DATABASE")])
    assert created["created"] == 1
    figure = {"metric": "memory", "capacity": 64, "unit": "GiB"}

    results = await asyncio.gather(
        *(
            import_cis(gql, "monitoring", [row("db-1", "db-1", "DATABASE", capacity=[figure])])
            for _ in range(6)
        )
    )

    assert all(r["rowErrors"] == [] and r["failed"] == 0 for r in results)
    assert (await _nodes(db))[0] == 1
    [linked] = await db.read_rows(
        "t", "MATCH (:CI {name: 'db-1'})-[h:HAS_CAPACITY]->(:Capacity) RETURN count(h) AS n"
    )
    assert linked["n"] == 1
