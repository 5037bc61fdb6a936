"""Risk through GraphQL: computed from the snapshot and the graph now, explained factor by
factor; it rises with an open P1 on an impacted service, a failed change on a target, a freeze
and a single point of failure, and a page of changes costs the round trips of one."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import move, open_change, scheduled, transition
from tests.resolvers.changes.test_conflicts import FREEZE, assessed, assessment, landscape
from tests.resolvers.helpers import create_ci
from tests.resolvers.incidents.helpers import open_incident
from tests.resolvers.topology import build


def factors(found: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {f["name"]: (f["weight"], f["detail"]) for f in found["risk"]["factors"]}


async def test_before_assessment_risk_comes_from_type_and_targets_and_says_so(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    change = await open_change(gql, [ids["orders-db"], ids["web-lb"]], type="EMERGENCY")

    risk = (await assessment(gql, change["number"]))["risk"]

    assert risk["factors"] == [
        {"name": "CHANGE_TYPE", "weight": 25, "detail": "a emergency change"},
        {"name": "TARGETS", "weight": 6, "detail": "2 target CI(s)"},
        {
            "name": "NOT_ASSESSED",
            "weight": 0,
            "detail": "no impact snapshot yet: risk from the change type and the targets only",
        },
    ]
    assert (risk["score"], risk["level"]) == (31, "MEDIUM")


async def test_a_database_shared_by_two_services_is_a_single_point_of_failure_of_both(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    change = await assessed(gql, [ids["orders-db"]])

    found = await assessment(gql, change["number"])

    assert factors(found) == {
        "CHANGE_TYPE": (10, "a normal change"),
        "BUSINESS_SERVICES_DOWN": (
            32,
            "2 business service(s) DOWN: Checkout (criticality 1), Billing (criticality 2)",
        ),
        "SINGLE_POINT_OF_FAILURE": (
            30,
            "a target alone takes a business service DOWN: orders-db for Checkout, "
            "orders-db for Billing",
        ),
    }
    assert (found["risk"]["score"], found["risk"]["level"]) == (72, "HIGH")


async def test_risk_rises_with_an_open_p1_on_an_impacted_service(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    change = await assessed(gql, [ids["orders-db"]])
    before = (await assessment(gql, change["number"]))["risk"]["score"]
    p1 = await open_incident(gql, [ids["Billing"]], impact=1, urgency=1)

    found = await assessment(gql, change["number"])

    assert factors(found)["OPEN_INCIDENTS"] == (
        20,
        f"open P1/P2 incident(s) on impacted services: {p1['number']} (P1)",
    )
    assert found["risk"]["score"] == before + 20
    assert found["risk"]["level"] == "VERY_HIGH"


async def test_risk_rises_with_a_failed_change_on_a_target(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    failed = await scheduled(gql, [ids["orders-db"]], title="Upgrade")
    await move(gql, failed["number"], "IMPLEMENT", "REVIEW")
    payload = await transition(gql, failed["number"], "CLOSED", outcome="FAILED")
    assert payload["errors"] == [], payload
    change = await assessed(gql, [ids["orders-db"]])

    found = await assessment(gql, change["number"])

    assert factors(found)["FAILED_CHANGES_ON_TARGETS"] == (
        10,
        f"1 failed or backed-out change(s) on the targets in the last 180 days: "
        f"{failed['number']} FAILED",
    )
    assert found["risk"]["level"] == "VERY_HIGH"


async def test_risk_rises_with_the_poor_success_score_of_the_assignment_group(
    gql: GraphQLClient,
) -> None:
    ids = await landscape(gql)
    for n in range(3):
        done = await scheduled(gql, [ids["web-lb"]], title=f"Tune {n}", assignmentGroup="Web")
        await move(gql, done["number"], "IMPLEMENT", "REVIEW")
        payload = await transition(gql, done["number"], "CLOSED", outcome="FAILED")
        assert payload["errors"] == [], payload
    change = await assessed(gql, [ids["orders-db"]], assignmentGroup="Web")
    other = await assessed(gql, [ids["orders-db"]], assignmentGroup="Database")

    found = await assessment(gql, change["number"])

    # Three failed changes: each scores 10/18 of 100, the group 55.6, below 75.
    assert factors(found)["ASSIGNMENT_GROUP_SUCCESS"] == (
        5,
        "Web's change success score is 55.6 over its 3 closed changes of the last 180 days",
    )
    assert "ASSIGNMENT_GROUP_SUCCESS" not in factors(await assessment(gql, other["number"]))


async def test_a_freeze_over_the_window_adds_its_weight(gql: GraphQLClient) -> None:
    ids = await landscape(gql)
    change = await assessed(gql, [ids["web-lb"]])
    before = (await assessment(gql, change["number"]))["risk"]["score"]
    await gql(
        FREEZE,
        input={
            "name": "Quarter end",
            "start": "2026-03-10T00:00:00Z",
            "end": "2026-03-12T00:00:00Z",
        },
    )

    found = await assessment(gql, change["number"])

    assert factors(found)["FREEZE"] == (30, "the planned window overlaps the freeze Quarter end")
    assert found["risk"]["score"] == before + 30


async def test_a_member_of_a_pool_degrades_and_says_how_much_redundancy_is_left(
    gql: GraphQLClient,
) -> None:
    ids = await build(
        gql,
        {
            "Shop": "BUSINESS_SERVICE",
            "web-1": "VIRTUAL_MACHINE",
            "web-2": "VIRTUAL_MACHINE",
            "web-3": "VIRTUAL_MACHINE",
        },
        [("Shop", f"web-{n}", "DEPENDS_ON", "web", 2) for n in (1, 2, 3)],
    )
    change = await assessed(gql, [ids["web-1"]], type="STANDARD")

    assert factors(await assessment(gql, change["number"])) == {
        "CHANGE_TYPE": (0, "a standard change"),
        "BUSINESS_SERVICES_DEGRADED": (2, "1 business service(s) DEGRADED: Shop (criticality -)"),
        "REDUNDANCY_LEFT": (
            10,
            "web-1 is in pool 'web' of Shop: 0 spare member(s) left while it is out",
        ),
    }


async def test_a_page_of_changes_with_risk_costs_the_round_trips_of_one(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await landscape(gql)
    other = await create_ci(gql, "hr-db", "DATABASE")
    query = (
        "{ changes(first: 20) { edges { node { number risk { level score factors { name } } } } } }"
    )
    await assessed(gql, [ids["orders-db"]])
    before = db.round_trips
    await gql(query)
    one = db.round_trips - before
    for targets in ([ids["orders-db"]], [ids["web-lb"]], [other]):
        await assessed(gql, targets)
    before = db.round_trips
    data = await gql(query)

    assert len(data["changes"]["edges"]) == 4
    assert db.round_trips - before == one
