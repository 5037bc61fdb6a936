"""What is going on below a service: `serviceTrace` lists the open incidents on the service and on
everything it depends on, nearest first, each with its path; `incidentCounts` counts incidents
per impacted service for a dashboard."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import open_incident, transition
from tests.resolvers.topology import build

TRACE = """
query($id: ID!) {
  serviceTrace(serviceId: $id) {
    service { name } truncated
    incidents { incident { number priority } affectedCi { name } depth path { name } }
  }
}
"""
COUNTS = """
query($ids: [ID!], $openOnly: Boolean! = true) {
  incidentCounts(serviceIds: $ids, openOnly: $openOnly) {
    service { name } total byPriority { priority count }
  }
}
"""

# shop -> orders -> vm -> esx-01, orders -> orders-db; the intranet needs only the wiki.
SHOP = (
    {
        "shop": "BUSINESS_SERVICE",
        "orders": "APPLICATION",
        "orders-db": "DATABASE",
        "vm": "VIRTUAL_MACHINE",
        "esx-01": "SERVER",
        "intranet": "BUSINESS_SERVICE",
        "wiki": "APPLICATION",
    },
    [
        ("shop", "orders", "PROVIDED_BY"),
        ("orders", "vm", "RUNS_ON"),
        ("orders", "orders-db", "DEPENDS_ON"),
        ("vm", "esx-01", "HOSTED_ON"),
        ("intranet", "wiki", "PROVIDED_BY"),
    ],
)


def _traced(trace: dict[str, Any]) -> list[tuple[str, str, int, list[str]]]:
    return [
        (
            t["incident"]["number"],
            t["affectedCi"]["name"],
            t["depth"],
            [c["name"] for c in t["path"]],
        )
        for t in trace["incidents"]
    ]


async def test_a_service_trace_lists_open_incidents_below_it_nearest_first_then_by_priority(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHOP)
    host = (await open_incident(gql, [ids["esx-01"]], impact=1, urgency=1))["number"]
    vm = (await open_incident(gql, [ids["vm"]], impact=3, urgency=3))["number"]
    database = (await open_incident(gql, [ids["orders-db"]], impact=1, urgency=2))["number"]
    shop = (await open_incident(gql, [ids["shop"]], impact=3, urgency=3))["number"]
    both = (await open_incident(gql, [ids["esx-01"], ids["orders"]]))["number"]
    resolved = (await open_incident(gql, [ids["orders"]]))["number"]
    await transition(gql, resolved, "RESOLVED", resolution="restarted")
    await open_incident(gql, [ids["wiki"]])

    trace = (await gql(TRACE, id=ids["shop"]))["serviceTrace"]

    assert (trace["service"], trace["truncated"]) == ({"name": "shop"}, False)
    assert _traced(trace) == [
        (shop, "shop", 0, ["shop"]),
        (both, "orders", 1, ["shop", "orders"]),
        (database, "orders-db", 2, ["shop", "orders", "orders-db"]),
        (vm, "vm", 2, ["shop", "orders", "vm"]),
        (host, "esx-01", 3, ["shop", "orders", "vm", "esx-01"]),
    ]


async def test_a_trace_from_lower_down_sees_only_what_that_ci_depends_on(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHOP)
    host = (await open_incident(gql, [ids["esx-01"]]))["number"]
    await open_incident(gql, [ids["orders"]])

    trace = (await gql(TRACE, id=ids["vm"]))["serviceTrace"]

    assert _traced(trace) == [(host, "esx-01", 1, ["vm", "esx-01"])]


async def test_a_service_with_nothing_open_below_it_has_an_empty_trace_and_an_unknown_one_none(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHOP)
    await open_incident(gql, [ids["wiki"]])

    assert (await gql(TRACE, id=ids["shop"]))["serviceTrace"]["incidents"] == []
    assert (await gql(TRACE, id="no-such-ci"))["serviceTrace"] is None


async def test_a_trace_costs_the_same_few_round_trips_however_many_incidents(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await build(gql, *SHOP)
    for ci in ("esx-01", "vm", "orders-db", "orders", "shop"):
        await open_incident(gql, [ids[ci]])

    before = db.round_trips
    trace = (await gql(TRACE, id=ids["shop"]))["serviceTrace"]

    assert len(trace["incidents"]) == 5
    # The dependencies, the open incidents on them, the service, the CIs of every incident's
    # path and affected CI (one batch).
    assert db.round_trips - before == 4


def _counts(found: list[dict[str, Any]]) -> list[tuple[str, int, dict[str, int]]]:
    return [
        (
            c["service"]["name"],
            c["total"],
            {p["priority"]: p["count"] for p in c["byPriority"] if p["count"]},
        )
        for c in found
    ]


async def test_incident_counts_per_service_follow_the_impacted_services(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await build(gql, *SHOP)
    await open_incident(gql, [ids["esx-01"]], impact=1, urgency=1)
    await open_incident(gql, [ids["orders-db"]], impact=1, urgency=2)
    await open_incident(gql, [ids["vm"], ids["orders"]], impact=1, urgency=2)
    wiki = (await open_incident(gql, [ids["wiki"]], impact=3, urgency=3))["number"]
    excluded = (await open_incident(gql, [ids["orders"]], impact=2, urgency=3))["number"]
    exclude = """
    mutation($input: ExcludeImpactedServiceInput!) {
      excludeImpactedService(input: $input) { errors { code } }
    }
    """
    result = await gql(
        exclude, input={"number": excluded, "serviceId": ids["shop"], "reason": "test traffic"}
    )
    assert result["excludeImpactedService"]["errors"] == []
    add = """
    mutation($input: AddImpactedServiceInput!) {
      addImpactedService(input: $input) { errors { code } }
    }
    """
    result = await gql(add, input={"number": wiki, "serviceId": ids["shop"], "state": "DEGRADED"})
    assert result["addImpactedService"]["errors"] == []
    closed = (await open_incident(gql, [ids["wiki"]], impact=1, urgency=1))["number"]
    await transition(gql, closed, "CANCELLED")

    before = db.round_trips
    every = (await gql(COUNTS))["incidentCounts"]
    trips = db.round_trips - before

    assert _counts(every) == [
        ("shop", 4, {"P1": 1, "P2": 2, "P5": 1}),
        ("intranet", 1, {"P5": 1}),
    ]
    assert [p["priority"] for p in every[0]["byPriority"]] == ["P1", "P2", "P3", "P4", "P5"]
    # The counts, then the service CIs in one batch.
    assert trips == 2
    with_closed = (await gql(COUNTS, openOnly=False))["incidentCounts"]
    assert _counts(with_closed) == [
        ("shop", 4, {"P1": 1, "P2": 2, "P5": 1}),
        ("intranet", 2, {"P1": 1, "P5": 1}),
    ]


async def test_incident_counts_of_given_services_keep_those_without_incidents(
    gql: GraphQLClient,
) -> None:
    ids = await build(gql, *SHOP)
    await open_incident(gql, [ids["wiki"]], impact=2, urgency=2)

    found = (await gql(COUNTS, ids=[ids["shop"], ids["intranet"], "no-such-ci"]))["incidentCounts"]

    assert _counts(found) == [("intranet", 1, {"P3": 1}), ("shop", 0, {})]
    assert (await gql(COUNTS, ids=[]))["incidentCounts"] == []
