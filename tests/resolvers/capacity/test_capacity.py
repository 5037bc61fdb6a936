"""Capacity through the API: capacity and readings, hotspots, forecasts, concurrent writers."""

from __future__ import annotations

import asyncio
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.topology import build

SET_CAPACITY = """
mutation($input: SetCapacityInput!) {
  setCapacity(input: $input) {
    capacity { metric capacity unit threshold } errors { field code }
  }
}
"""

RECORD = """
mutation($input: RecordUtilisationInput!) {
  recordUtilisation(input: $input) { reading { value at } errors { field code } }
}
"""

HOTSPOTS = """
query($metric: String!, $threshold: Float) {
  capacityHotspots(metric: $metric, threshold: $threshold) {
    ci { name } utilisation forecast latest { value at } services { name }
  }
}
"""

HISTORY = """
query($id: ID!) { ci(id: $id) { history(first: 20) { edges { node { operation } } } } }
"""

TOPOLOGY: tuple[dict[str, str], list[Any]] = (
    {
        "db": "DATABASE",
        "orders": "APPLICATION",
        "shop": "BUSINESS_SERVICE",
        "cache": "CACHE",
    },
    [("orders", "db", "DEPENDS_ON"), ("shop", "orders", "PROVIDED_BY")],
)


async def capacity(gql: GraphQLClient, ci_id: str, size: float, threshold: float) -> None:
    given = {"ciId": ci_id, "metric": "cpu", "capacity": size, "unit": "cores"}
    data = await gql(SET_CAPACITY, input={**given, "threshold": threshold})
    assert data["setCapacity"]["errors"] == [], data


async def readings(gql: GraphQLClient, ci_id: str, values: list[float]) -> None:
    for day, value in enumerate(values, start=1):
        at = f"2026-03-{day:02d}T12:00:00+00:00"
        data = await gql(RECORD, input={"ciId": ci_id, "metric": "cpu", "value": value, "at": at})
        assert data["recordUtilisation"]["errors"] == [], data


async def test_a_rising_ci_is_forecast_to_cross_its_threshold_on_the_expected_day(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *TOPOLOGY)
    await capacity(gql, ids["db"], 100, 0.8)
    await readings(gql, ids["db"], [50, 55, 60])

    data = await gql(HOTSPOTS, metric="cpu", threshold=0.5)

    assert data["capacityHotspots"] == [
        {
            "ci": {"name": "db"},
            "utilisation": 0.6,
            "forecast": "2026-03-07",
            "latest": {"value": 60.0, "at": "2026-03-03T12:00:00+00:00"},
            "services": [{"name": "shop"}],
        }
    ]


async def test_a_falling_ci_has_no_forecast(gql: GraphQLClient) -> None:
    ids = await build(gql, *TOPOLOGY)
    await capacity(gql, ids["cache"], 10, 0.9)
    await readings(gql, ids["cache"], [8, 7, 6])

    [hotspot] = (await gql(HOTSPOTS, metric="cpu", threshold=0.5))["capacityHotspots"]

    assert (hotspot["ci"], hotspot["forecast"], hotspot["services"]) == (
        {"name": "cache"},
        None,
        [],
    )


async def test_hotspots_use_each_cis_own_threshold_most_used_first(gql: GraphQLClient) -> None:
    ids = await build(gql, *TOPOLOGY)
    await capacity(gql, ids["db"], 100, 0.5)
    await capacity(gql, ids["cache"], 10, 0.5)
    await capacity(gql, ids["orders"], 10, 0.9)
    await readings(gql, ids["db"], [60])
    await readings(gql, ids["cache"], [9])
    await readings(gql, ids["orders"], [8])

    found = (await gql(HOTSPOTS, metric="cpu"))["capacityHotspots"]

    assert [(h["ci"]["name"], h["utilisation"], h["services"]) for h in found] == [
        ("cache", 0.9, []),
        ("db", 0.6, [{"name": "shop"}]),
    ]


async def test_a_reading_again_at_the_same_instant_replaces_its_value_in_one_node(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await build(gql, *TOPOLOGY)
    await capacity(gql, ids["db"], 100, 0.8)
    reading = {"ciId": ids["db"], "metric": "cpu", "at": "2026-03-01T12:00:00+00:00"}

    results = await asyncio.gather(*(gql(RECORD, input={**reading, "value": 70}) for _ in range(8)))
    await gql(RECORD, input={**reading, "value": 90})

    assert all(r["recordUtilisation"]["errors"] == [] for r in results)
    rows = await db.read_rows(
        "t", "MATCH (:CI)-[:HAS_READING]->(r:UtilisationReading) RETURN r.value AS value"
    )
    assert rows == [{"value": 90.0}]
    history = (await gql(HISTORY, id=ids["db"]))["ci"]["history"]["edges"]
    operations = [e["node"]["operation"] for e in history]
    assert operations.count("recordUtilisation") == 2
    assert operations.count("setCapacity") == 1


async def test_a_threshold_outside_zero_to_one_is_refused(gql: GraphQLClient) -> None:
    ids = await build(gql, *TOPOLOGY)
    given = {"ciId": ids["db"], "metric": "cpu", "capacity": 8, "unit": "cores"}

    data = await gql(SET_CAPACITY, input={**given, "threshold": 80})

    assert data["setCapacity"] == {
        "capacity": None,
        "errors": [{"field": "threshold", "code": "INVALID_VALUE"}],
    }


async def test_capacity_of_an_unknown_ci_is_refused(gql: GraphQLClient) -> None:
    given = {"ciId": "nope", "metric": "cpu", "capacity": 8, "unit": "cores"}

    data = await gql(SET_CAPACITY, input=given)

    assert data["setCapacity"]["capacity"] is None
    assert [e["field"] for e in data["setCapacity"]["errors"]] == ["ciId"]


FIGURES = "name capacity { metric capacity unit threshold utilisation latest { value at } }"
CI_CAPACITY = f"""
query($db: ID!, $cache: ID!) {{
  db: ci(id: $db) {{ {FIGURES} }} cache: ci(id: $cache) {{ {FIGURES} }}
}}
"""


async def test_a_ci_shows_each_capacity_with_its_latest_reading(gql: GraphQLClient) -> None:
    ids = await build(gql, *TOPOLOGY)
    await capacity(gql, ids["db"], 16, 0.75)
    await readings(gql, ids["db"], [4, 12, 8])
    given = {"ciId": ids["db"], "metric": "memory", "capacity": 64, "unit": "GiB"}
    assert (await gql(SET_CAPACITY, input=given))["setCapacity"]["errors"] == []

    data = await gql(CI_CAPACITY, db=ids["db"], cache=ids["cache"])

    shown = {found["name"]: found["capacity"] for found in data.values()}
    assert shown == {
        "cache": [],
        "db": [
            {
                "metric": "cpu",
                "capacity": 16.0,
                "unit": "cores",
                "threshold": 0.75,
                "utilisation": 0.5,
                "latest": {"value": 8.0, "at": "2026-03-03T12:00:00+00:00"},
            },
            {
                "metric": "memory",
                "capacity": 64.0,
                "unit": "GiB",
                "threshold": 0.8,
                "utilisation": None,
                "latest": None,
            },
        ],
    }
