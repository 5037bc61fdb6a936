"""`cmdbHealth(staleAfterDays)`: orphans, stale CIs and relationships, incomplete CIs."""

from __future__ import annotations

import base64
import json
from typing import Any, LiteralString

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

UNRELATE = """
mutation($input: UnrelateCIsInput!) { unrelateCIs(input: $input) { errors { code } } }
"""

RETIRE = """
mutation($id: ID!) { retireCI(input: {id: $id}) { errors { code } } }
"""

HEALTH = """
query($days: Int, $first: Int, $after: String) {
  cmdbHealth(staleAfterDays: $days) {
    staleAfterDays
    orphans(first: $first, after: $after) {
      totalCount
      edges { cursor node { id name } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
    staleCIs(first: $first, after: $after) {
      totalCount
      edges { cursor node { ci { id name } lastConfirmedAt } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
    staleRelationships(first: $first, after: $after) {
      totalCount
      edges { cursor node { type from { name } to { name } lastConfirmedAt validTo } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
    incompleteCIs(first: $first, after: $after) {
      totalCount
      edges { cursor node { ci { id name } missing } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
}
"""

ONE_LIST = """
query($days: Int, $first: Int, $after: String) {
  cmdbHealth(staleAfterDays: $days) {
    %s(first: $first, after: $after) {
      totalCount
      edges { cursor }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

LISTS = ["orphans", "staleCIs", "staleRelationships", "incompleteCIs"]

CI_CONFIRMED_DAYS_AGO: LiteralString = """
MATCH (c:CI {id: $id})
SET c.updatedAt = datetime() - duration({days: $updated})
SET c.lastConfirmedAt = CASE WHEN $confirmed IS NULL THEN null
                             ELSE datetime() - duration({days: $confirmed}) END
"""

EDGE_CONFIRMED_DAYS_AGO: LiteralString = """
MATCH (:CI {id: $from})-[r]->(:CI {id: $to})
SET r.lastConfirmedAt = datetime() - duration({days: $days})
"""


async def age_ci(db: Database, ci_id: str, updated: int, confirmed: int | None = None) -> None:
    await db.write_rows("t", CI_CONFIRMED_DAYS_AGO, id=ci_id, updated=updated, confirmed=confirmed)


async def age_edge(db: Database, dependent: str, target: str, days: int) -> None:
    await db.write_rows(
        "t", EDGE_CONFIRMED_DAYS_AGO, days=days, **{"from": dependent, "to": target}
    )


async def health(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await gql(HEALTH, first=100, **variables))["cmdbHealth"]
    return data


def listed(connection: dict[str, Any], path: str = "name") -> list[Any]:
    values = []
    for edge in connection["edges"]:
        value = edge["node"]
        for step in path.split("."):
            value = value[step]
        values.append(value)
    return values


async def walk(gql: GraphQLClient, listing: str, first: int, days: int = 30) -> list[str]:
    """The cursors of every item of one list, page by page."""
    cursors: list[str] = []
    after = None
    while True:
        data = await gql(ONE_LIST % listing, days=days, first=first, after=after)
        page = data["cmdbHealth"][listing]
        cursors += [edge["cursor"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return cursors
        after = page["pageInfo"]["endCursor"]


async def test_orphans_are_the_live_cis_without_a_current_relationship(
    gql: GraphQLClient,
) -> None:
    checkout = await create_ci(gql, "checkout", "MICROSERVICE")
    orders = await create_ci(gql, "orders-db", "DATABASE")
    await relate(gql, checkout, orders, "DEPENDS_ON")
    await create_ci(gql, "lonely-vm", "VIRTUAL_MACHINE")
    retired = await create_ci(gql, "old-vm", "VIRTUAL_MACHINE")
    await gql(RETIRE, id=retired)
    cache = await create_ci(gql, "cache", "CACHE")
    legacy = await create_ci(gql, "legacy-db", "DATABASE")
    await relate(gql, cache, legacy, "DEPENDS_ON")
    await gql(UNRELATE, input={"from": cache, "to": legacy, "type": "DEPENDS_ON"})

    orphans = (await health(gql))["orphans"]

    assert listed(orphans) == ["cache", "legacy-db", "lonely-vm"]
    assert orphans["totalCount"] == 3


async def test_a_ci_with_only_incoming_relationships_is_not_an_orphan(gql: GraphQLClient) -> None:
    service = await create_ci(gql, "Online Shop", "BUSINESS_SERVICE")
    app = await create_ci(gql, "shop-app", "APPLICATION")
    await relate(gql, service, app, "PROVIDED_BY")

    orphans = (await health(gql))["orphans"]

    assert (listed(orphans), orphans["totalCount"]) == ([], 0)


async def test_stale_cis_are_those_no_source_confirmed_for_n_days_oldest_first(
    gql: GraphQLClient, db: Database
) -> None:
    names = ["forty", "twenty", "fresh", "imported-lately", "imported-long-ago", "retired"]
    ids = {name: await create_ci(gql, name, "SERVER") for name in names}
    await age_ci(db, ids["forty"], updated=40)
    await age_ci(db, ids["twenty"], updated=20)
    # The import's confirmation counts, not the last edit.
    await age_ci(db, ids["imported-lately"], updated=90, confirmed=2)
    await age_ci(db, ids["imported-long-ago"], updated=1, confirmed=50)
    await gql(RETIRE, id=ids["retired"])
    await age_ci(db, ids["retired"], updated=60)

    default = (await health(gql))["staleCIs"]
    thirty = (await health(gql, days=30))["staleCIs"]
    ten = (await health(gql, days=10))["staleCIs"]
    sixty = (await health(gql, days=60))["staleCIs"]

    assert listed(default, "ci.name") == ["imported-long-ago", "forty"]
    assert thirty == default
    assert listed(ten, "ci.name") == ["imported-long-ago", "forty", "twenty"]
    assert (ten["totalCount"], thirty["totalCount"]) == (3, 2)
    assert (listed(sixty), sixty["totalCount"]) == ([], 0)


async def test_a_stale_ci_shows_when_it_was_last_confirmed(
    gql: GraphQLClient, db: Database
) -> None:
    ci_id = await create_ci(gql, "forty", "SERVER")
    await age_ci(db, ci_id, updated=40)
    stored = await db.read_rows("t", "MATCH (c:CI {id: $id}) RETURN c.updatedAt AS at", id=ci_id)

    [edge] = (await health(gql))["staleCIs"]["edges"]

    assert edge["node"]["lastConfirmedAt"] == stored[0]["at"].to_native().isoformat()


async def test_stale_relationships_are_current_edges_not_confirmed_for_n_days(
    gql: GraphQLClient, db: Database
) -> None:
    names = ["shop", "payments", "ledger", "archive", "old-host", "host"]
    ci = {name: await create_ci(gql, name, "APPLICATION") for name in names}
    pairs = [
        ("shop", "payments", 40),
        ("payments", "ledger", 20),
        ("ledger", "archive", 45),
        ("shop", "old-host", 80),
        ("shop", "ledger", 1),
    ]
    for dependent, target, days in pairs:
        await relate(gql, ci[dependent], ci[target], "DEPENDS_ON")
        await age_edge(db, ci[dependent], ci[target], days)
    # A closed edge and an edge to a retired CI are history, not stale facts.
    await gql(UNRELATE, input={"from": ci["ledger"], "to": ci["archive"], "type": "DEPENDS_ON"})
    await gql(RETIRE, id=ci["old-host"])

    thirty = (await health(gql))["staleRelationships"]
    ten = (await health(gql, days=10))["staleRelationships"]

    stored = await db.read_rows(
        "t",
        "MATCH (:CI {id: $from})-[r]->(:CI {id: $to}) RETURN r.lastConfirmedAt AS at",
        **{"from": ci["shop"], "to": ci["payments"]},
    )
    assert thirty["edges"][0]["node"] == {
        "type": "DEPENDS_ON",
        "from": {"name": "shop"},
        "to": {"name": "payments"},
        "lastConfirmedAt": stored[0]["at"].to_native().isoformat(),
        "validTo": None,
    }
    assert [(e["node"]["from"]["name"], e["node"]["to"]["name"]) for e in thirty["edges"]] == [
        ("shop", "payments")
    ]
    assert [(e["node"]["from"]["name"], e["node"]["to"]["name"]) for e in ten["edges"]] == [
        ("shop", "payments"),
        ("payments", "ledger"),
    ]
    assert (thirty["totalCount"], ten["totalCount"]) == (1, 2)


async def test_incomplete_cis_are_live_production_cis_missing_what_they_need(
    gql: GraphQLClient,
) -> None:
    complete = {"owner": "Shop Team", "supportGroup": "Web Ops", "criticality": 2}
    await create_ci(gql, "complete", "SERVER", **complete)
    await create_ci(gql, "no-owner", "SERVER", supportGroup="Web Ops", criticality=2)
    await create_ci(gql, "nothing", "SERVER")
    await create_ci(gql, "no-criticality", "SERVER", owner="Ops", supportGroup="Web Ops")
    await create_ci(gql, "staging-nothing", "SERVER", environment="STAGING")
    retired = await create_ci(gql, "retired-nothing", "SERVER")
    await gql(RETIRE, id=retired)

    incomplete = (await health(gql))["incompleteCIs"]

    assert [(e["node"]["ci"]["name"], e["node"]["missing"]) for e in incomplete["edges"]] == [
        ("no-criticality", ["CRITICALITY"]),
        ("no-owner", ["OWNER"]),
        ("nothing", ["OWNER", "SUPPORT_GROUP", "CRITICALITY"]),
    ]
    assert incomplete["totalCount"] == 3


# ci-0, ci-0, ci-1, ci-1, ...: confirmed on 2020-01-01, 2020-01-01, 2020-01-02, ...
AGE_BY_NAME: LiteralString = """
MATCH (c:CI) WHERE c.name STARTS WITH 'ci-'
SET c.updatedAt = datetime('2020-01-01T00:00:00Z')
                  + duration({days: toInteger(substring(c.name, 3))})
"""

AGE_EVERY_EDGE: LiteralString = """
MATCH (:CI)-[r]->(:CI) SET r.lastConfirmedAt = datetime('2020-01-01T00:00:00Z')
"""


async def make_unhealthy_cmdb(gql: GraphQLClient, db: Database, size: int) -> None:
    """`size` CIs that are orphaned, stale and incomplete at once, some with the same name
    and last confirmed at the same instant, and `size` stale relationships."""
    complete = {"owner": "o", "supportGroup": "s", "criticality": 1}
    hub = await create_ci(gql, "hub", "APPLICATION", **complete)
    for i in range(size):
        await create_ci(gql, f"ci-{i // 2}", "SERVER")
        app = await create_ci(gql, f"app-{i}", "APPLICATION", **complete)
        await relate(gql, app, hub, "DEPENDS_ON")
    await db.write_rows("t", AGE_BY_NAME)
    await db.write_rows("t", AGE_EVERY_EDGE)


@pytest.mark.parametrize("listing", LISTS)
async def test_each_list_pages_through_every_item_once(
    gql: GraphQLClient, db: Database, listing: str
) -> None:
    await make_unhealthy_cmdb(gql, db, 7)
    everything = await walk(gql, listing, first=100)

    paged = await walk(gql, listing, first=2)

    assert paged == everything
    assert len(everything) == 7
    count = await gql(ONE_LIST % listing, days=30, first=0)
    assert count["cmdbHealth"][listing]["totalCount"] == 7
    assert count["cmdbHealth"][listing]["edges"] == []


@pytest.mark.parametrize("listing", ["orphans", "staleCIs", "incompleteCIs"])
async def test_a_health_cursor_stays_valid_when_cis_are_added_between_pages(
    gql: GraphQLClient, db: Database, listing: str
) -> None:
    await make_unhealthy_cmdb(gql, db, 6)
    first_page = (await gql(ONE_LIST % listing, days=30, first=3))["cmdbHealth"][listing]
    # Sorts first by name and by age, so it lands before the cursor in every list.
    early = await create_ci(gql, "a-early", "SERVER")
    await age_ci(db, early, updated=10_000)
    late = await create_ci(gql, "z-late", "SERVER")
    await age_ci(db, late, updated=31)

    after = first_page["pageInfo"]["endCursor"]
    rest = (await gql(ONE_LIST % listing, days=30, first=100, after=after))["cmdbHealth"][listing]
    everything = await walk(gql, listing, first=100)

    seen = [e["cursor"] for e in first_page["edges"]] + [e["cursor"] for e in rest["edges"]]
    assert seen == everything[1:]
    assert rest["totalCount"] == 8


async def test_nothing_to_report_on_a_healthy_cmdb(gql: GraphQLClient) -> None:
    service = await create_ci(
        gql, "Online Shop", "BUSINESS_SERVICE", owner="o", supportGroup="s", criticality=1
    )
    app = await create_ci(
        gql, "shop-app", "APPLICATION", owner="o", supportGroup="s", criticality=1
    )
    await relate(gql, service, app, "PROVIDED_BY")

    report = await health(gql)

    assert report["staleAfterDays"] == 30
    for listing in LISTS:
        assert report[listing]["edges"] == []
        assert report[listing]["totalCount"] == 0
        assert report[listing]["pageInfo"] == {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "endCursor": None,
        }


async def test_counts_cost_a_round_trip_each_only_when_selected(
    gql: GraphQLClient, db: Database
) -> None:
    await make_unhealthy_cmdb(gql, db, 3)
    pages = " ".join(f"{listing}(first: 2) {{ edges {{ cursor }} }}" for listing in LISTS)
    without_counts = "{ cmdbHealth { " + pages + " } }"

    before = db.round_trips
    await gql(without_counts)
    pages_only = db.round_trips - before
    before = db.round_trips
    await health(gql)
    with_counts = db.round_trips - before

    assert pages_only == 4
    # Four counts, and one batched load of the stale relationships' ends.
    assert with_counts == 4 + 4 + 1


async def bad_request(gql: GraphQLClient, query: str, **variables: Any) -> str:
    body = await gql.raw(query, **variables)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    message: str = error["message"]
    return message


@pytest.mark.parametrize("days", [0, -3, 36_501])
async def test_stale_after_days_out_of_range_is_a_bad_request(
    gql: GraphQLClient, days: int
) -> None:
    message = await bad_request(gql, HEALTH, days=days, first=5)

    assert message == f"staleAfterDays: must be between 1 and 36500, got {days}"


async def test_page_size_above_the_maximum_is_refused(gql: GraphQLClient) -> None:
    message = await bad_request(gql, ONE_LIST % "orphans", first=101)

    assert message == "first must be between 0 and 100, got 101"


async def test_a_cursor_of_one_list_is_refused_by_another(gql: GraphQLClient, db: Database) -> None:
    await make_unhealthy_cmdb(gql, db, 3)
    page = await gql(ONE_LIST % "orphans", first=1)
    cursor = page["cmdbHealth"]["orphans"]["pageInfo"]["endCursor"]

    message = await bad_request(gql, ONE_LIST % "staleCIs", first=1, after=cursor)

    assert message == "this cursor continues orphans, not staleCIs"


@pytest.mark.parametrize("listing", ["staleCIs", "staleRelationships"])
async def test_a_forged_cursor_without_a_time_is_refused(gql: GraphQLClient, listing: str) -> None:
    forged = base64.urlsafe_b64encode(json.dumps([listing, "yesterday", "x"]).encode()).decode()

    message = await bad_request(gql, ONE_LIST % listing, first=1, after=forged)

    assert message == "after: the cursor does not fit this list"
