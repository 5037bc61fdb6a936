"""Freeze and maintenance windows through GraphQL: created, listed, replaced and removed;
every refusal typed and nothing written; parallel writers of one CI's window leave one."""

from __future__ import annotations

import asyncio
from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.changes.test_conflicts import FREEZE, MAINTENANCE, landscape

DELETE = """
mutation($id: ID!) { deleteBlackoutWindow(input: {id: $id}) {
  blackoutWindow { name } errors { field code message } } }
"""
LIST = """
query($from: DateTime!, $to: DateTime!) { blackoutWindows(from: $from, to: $to) {
  name start end global services { name } } }
"""
CLEAR = """
mutation($ciId: ID!) { clearMaintenanceWindow(input: {ciId: $ciId}) {
  maintenanceWindow { days opens closes timezone } errors { field code message } } }
"""
WINDOWS = """
query($ids: [ID!]!) { maintenanceWindows(ciIds: $ids) { ciId days opens closes timezone } }
"""
MARCH = {"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z"}


async def freeze(gql: GraphQLClient, **fields: Any) -> dict[str, Any]:
    values = {
        "name": "Quarter end",
        "start": "2026-03-30T00:00:00Z",
        "end": "2026-04-02T00:00:00Z",
        **fields,
    }
    payload: dict[str, Any] = (await gql(FREEZE, input=values))["createBlackoutWindow"]
    return payload


async def test_freezes_are_created_listed_by_period_and_deleted(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    created = await freeze(gql, serviceIds=[ids["Checkout"]])
    await freeze(gql, name="Spring", start="2026-04-10T00:00:00Z", end="2026-04-11T00:00:00Z")
    everywhere = await freeze(
        gql, name="Audit", start="2026-03-05T00:00:00+01:00", end="2026-03-06T00:00:00+01:00"
    )

    assert created["errors"] == []
    assert created["blackoutWindow"]["global"] is False
    assert created["blackoutWindow"]["services"] == [{"name": "Checkout"}]
    assert everywhere["blackoutWindow"]["global"] is True
    listed = (await gql(LIST, **MARCH))["blackoutWindows"]
    assert [(w["name"], w["start"], w["global"]) for w in listed] == [
        ("Audit", "2026-03-04T23:00:00+00:00", True),
        ("Quarter end", "2026-03-30T00:00:00+00:00", False),
    ]

    deleted = (await gql(DELETE, id=created["blackoutWindow"]["id"]))["deleteBlackoutWindow"]
    assert deleted == {"blackoutWindow": {"name": "Quarter end"}, "errors": []}
    assert [w["name"] for w in (await gql(LIST, **MARCH))["blackoutWindows"]] == ["Audit"]
    again = (await gql(DELETE, id=created["blackoutWindow"]["id"]))["deleteBlackoutWindow"]
    assert again["errors"][0]["code"] == "NOT_FOUND"


async def test_a_freeze_is_refused_on_what_is_no_service_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)

    wrong = await freeze(gql, serviceIds=[ids["Checkout"], ids["orders-db"]])
    missing = await freeze(gql, serviceIds=["no-such-ci"])
    backwards = await freeze(gql, name=" ", end="2026-03-29T00:00:00Z")

    assert wrong["blackoutWindow"] is None
    assert [(e["field"], e["code"]) for e in wrong["errors"]] == [
        ("serviceIds[1]", "INVALID_VALUE")
    ]
    assert missing["errors"] == [
        {"field": "serviceIds[0]", "code": "NOT_FOUND", "message": "no CI has the id no-such-ci"}
    ]
    assert [(e["field"], e["code"]) for e in backwards["errors"]] == [
        ("name", "REQUIRED"),
        ("end", "OUT_OF_RANGE"),
    ]
    assert (await gql(LIST, **MARCH))["blackoutWindows"] == []


async def test_a_period_longer_than_366_days_is_a_bad_request(gql: GraphQLClient) -> None:
    result = await gql.raw(LIST, **{"from": "2026-01-01T00:00:00Z", "to": "2027-01-03T00:00:00Z"})

    assert result["data"] is None
    assert result["errors"][0]["message"] == "to: a period spans at most 366 days"


async def test_a_maintenance_window_is_set_replaced_read_and_cleared(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    window = {
        "ciId": ids["orders-db"],
        "days": "mon-fri",
        "opens": "22:00",
        "closes": "04:00",
        "timezone": "Europe/Paris",
    }

    first = (await gql(MAINTENANCE, input=window))["setMaintenanceWindow"]
    second = (await gql(MAINTENANCE, input={**window, "days": "SAT,SUN"}))["setMaintenanceWindow"]

    assert first["maintenanceWindow"]["days"] == "MON-FRI"
    assert second["maintenanceWindow"]["ci"] == {"name": "orders-db"}
    read = (await gql(WINDOWS, ids=[ids["orders-db"], ids["web-lb"]]))["maintenanceWindows"]
    assert read == [
        {
            "ciId": ids["orders-db"],
            "days": "SAT,SUN",
            "opens": "22:00",
            "closes": "04:00",
            "timezone": "Europe/Paris",
        }
    ]
    cleared = (await gql(CLEAR, ciId=ids["orders-db"]))["clearMaintenanceWindow"]
    assert cleared["maintenanceWindow"]["days"] == "SAT,SUN"
    assert (await gql(WINDOWS, ids=[ids["orders-db"]]))["maintenanceWindows"] == []
    assert (await gql(CLEAR, ciId=ids["orders-db"]))["clearMaintenanceWindow"] == {
        "maintenanceWindow": None,
        "errors": [],
    }


async def test_a_bad_maintenance_window_names_each_field_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    bad = {
        "ciId": ids["orders-db"],
        "days": "MON-FUN",
        "opens": "25:00",
        "closes": "4am",
        "timezone": "Mars/Olympus",
    }

    refused = (await gql(MAINTENANCE, input=bad))["setMaintenanceWindow"]
    unknown = (
        await gql(
            MAINTENANCE,
            input={
                **bad,
                "ciId": "nope",
                "days": "MON",
                "opens": "22:00",
                "closes": "04:00",
                "timezone": "UTC",
            },
        )
    )["setMaintenanceWindow"]

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        ("days", "INVALID_VALUE"),
        ("opens", "INVALID_FORMAT"),
        ("closes", "INVALID_FORMAT"),
        ("timezone", "INVALID_VALUE"),
    ]
    assert unknown["errors"][0]["code"] == "NOT_FOUND"
    assert (await gql(WINDOWS, ids=[ids["orders-db"]]))["maintenanceWindows"] == []


async def test_parallel_writers_of_one_cis_window_leave_exactly_one(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await landscape(gql)
    hours = [f"{h:02d}:00" for h in range(10)]

    results = await asyncio.gather(
        *(
            gql(
                MAINTENANCE,
                input={
                    "ciId": ids["orders-db"],
                    "days": "MON",
                    "opens": opens,
                    "closes": "23:00",
                    "timezone": "UTC",
                },
            )
            for opens in hours
        )
    )

    assert all(r["setMaintenanceWindow"]["errors"] == [] for r in results)
    rows = await db.read_rows(
        "test",
        "MATCH (:CI {id: $id})-[:HAS_MAINTENANCE_WINDOW]->(m) RETURN m.opens AS opens",
        id=ids["orders-db"],
    )
    assert len(rows) == 1
    assert rows[0]["opens"] in hours
