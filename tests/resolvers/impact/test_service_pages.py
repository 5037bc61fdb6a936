"""The services of `impact` and `simulateOutage` page like every list: most critical first,
then the worst state first, then by name; keyset cursors that walk every service once, keep
their place after a write, and refuse what the API did not issue."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

SERVICES = """
query($ids: [ID!]!, $first: Int, $after: String) { impact(ciIds: $ids) {
  services(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ci { name } state depth path { name } } }
  } } }"""

OUTAGE = """
query($ids: [ID!]!, $all: Boolean! = false, $first: Int, $after: String) {
  simulateOutage(ciIds: $ids, includeOperational: $all) {
    services(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { service { name } state reason } }
    } } }"""

# name -> (criticality, how it depends on db): DOWN directly, DEGRADED through a pool of
# db and spare that needs one member, or OPERATIONAL (not at all).
CATALOGUE: dict[str, tuple[int | None, str]] = {
    "orders": (1, "DOWN"),
    "billing": (1, "DOWN"),
    "catalog": (1, "DEGRADED"),
    "search": (2, "DEGRADED"),
    "payroll": (2, "DOWN"),
    "intranet": (None, "DOWN"),
    "wiki": (None, "DEGRADED"),
    "blog": (1, "OPERATIONAL"),
    "status": (None, "OPERATIONAL"),
}
IMPACT_ORDER = [
    ("billing", "DOWN"),
    ("orders", "DOWN"),
    ("catalog", "DEGRADED"),
    ("payroll", "DOWN"),
    ("search", "DEGRADED"),
    ("intranet", "DOWN"),
    ("wiki", "DEGRADED"),
]


async def catalogue(gql: GraphQLClient) -> dict[str, str]:
    """db and spare, and one business service per CATALOGUE entry; returns name -> id."""
    ids = {
        "db": await create_ci(gql, "db", "DATABASE"),
        "spare": await create_ci(gql, "spare", "DATABASE"),
    }
    for name, (criticality, state) in CATALOGUE.items():
        fields = {} if criticality is None else {"criticality": criticality}
        ids[name] = await create_ci(gql, name, "BUSINESS_SERVICE", **fields)
        if state == "DOWN":
            assert (await relate(gql, ids[name], ids["db"], "DEPENDS_ON"))["errors"] == []
        elif state == "DEGRADED":
            for member in ("db", "spare"):
                payload = await relate(
                    gql,
                    ids[name],
                    ids[member],
                    "DEPENDS_ON",
                    redundancyGroup="data",
                    minOperational=1,
                )
                assert payload["errors"] == [], payload
    return ids


async def walk(gql: GraphQLClient, query: str, root: str, **variables: Any) -> list[Any]:
    """Every page of `root`'s services, two at a time, following endCursor."""
    pages = []
    after = None
    while True:
        page = (await gql(query, first=2, after=after, **variables))[root]["services"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


def listed(page: dict[str, Any], key: str) -> list[tuple[str, str]]:
    return [(e["node"][key]["name"], e["node"]["state"]) for e in page["edges"]]


async def test_impact_services_walk_most_critical_first_then_worst_state_each_once(
    gql: GraphQLClient,
) -> None:
    ids = await catalogue(gql)

    pages = await walk(gql, SERVICES, "impact", ids=[ids["db"]])
    whole = (await gql(SERVICES, ids=[ids["db"]], first=100))["impact"]["services"]

    assert [s for page in pages for s in listed(page, "ci")] == IMPACT_ORDER
    assert listed(whole, "ci") == IMPACT_ORDER
    assert [len(page["edges"]) for page in pages] == [2, 2, 2, 1]
    assert {page["totalCount"] for page in pages} == {7}
    assert [page["pageInfo"]["hasPreviousPage"] for page in pages] == [False, True, True, True]
    assert all(page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"] for page in pages)
    assert all(page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"] for page in pages)
    assert [c["name"] for c in whole["edges"][0]["node"]["path"]] == ["db", "billing"]


async def test_a_cursor_gives_the_same_page_again_and_continues_after_a_write(
    gql: GraphQLClient,
) -> None:
    ids = await catalogue(gql)
    first = (await gql(SERVICES, ids=[ids["db"]], first=3))["impact"]["services"]
    cursor = first["pageInfo"]["endCursor"]
    again = (await gql(SERVICES, ids=[ids["db"]], first=2, after=cursor))["impact"]["services"]
    twice = (await gql(SERVICES, ids=[ids["db"]], first=2, after=cursor))["impact"]["services"]

    # A new service sorting after the cursor's position, and one sorting before it.
    late = await create_ci(gql, "cms", "BUSINESS_SERVICE", criticality=2)
    early = await create_ci(gql, "accounts", "BUSINESS_SERVICE", criticality=1)
    for service in (late, early):
        assert (await relate(gql, service, ids["db"], "DEPENDS_ON"))["errors"] == []
    after_write = (await gql(SERVICES, ids=[ids["db"]], first=2, after=cursor))["impact"]

    assert listed(first, "ci") == IMPACT_ORDER[:3]
    assert again == twice
    assert listed(again, "ci") == IMPACT_ORDER[3:5]
    assert listed(after_write["services"], "ci") == [("cms", "DOWN"), ("payroll", "DOWN")]
    assert after_write["services"]["totalCount"] == 9


async def test_a_cursor_the_api_did_not_issue_is_a_bad_request(gql: GraphQLClient) -> None:
    ids = await catalogue(gql)
    impacted = await gql(
        "query($ids: [ID!]!) { impact(ciIds: $ids) { impacted(first: 1) { "
        "pageInfo { endCursor } } } }",
        ids=[ids["db"]],
    )
    other_list = impacted["impact"]["impacted"]["pageInfo"]["endCursor"]

    for forged in ("nonsense", other_list, "WyI5IiwiRE9XTiIsImEiLCJiIl0="):
        body = await gql.raw(SERVICES, ids=[ids["db"]], after=forged)
        outage = await gql.raw(OUTAGE, ids=[ids["db"]], after=forged)

        for answer in (body, outage):
            assert answer["data"] is None
            assert answer["errors"][0]["message"] == f"'{forged}' is not a cursor this API returned"
            assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_page_too_large_is_refused(gql: GraphQLClient) -> None:
    ids = await catalogue(gql)

    query = (
        "query($ids: [ID!]!, $first: Int) { %s(ciIds: $ids) { "
        "services(first: $first) { totalCount } } }"
    )
    whole = await gql(query % "impact", ids=[ids["db"]], first=5000)
    body = await gql.raw(query % "impact", ids=[ids["db"]], first=5001)
    outage = await gql.raw(query % "simulateOutage", ids=[ids["db"]], first=5001)

    assert whole["impact"]["services"]["totalCount"] == 7
    assert outage["errors"][0]["message"] == "first must be between 0 and 5000, got 5001"

    assert body["errors"][0]["message"] == "first must be between 0 and 5000, got 5001"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_outage_lists_the_services_it_changes_unless_asked_for_all(
    gql: GraphQLClient,
) -> None:
    ids = await catalogue(gql)

    changed = await walk(gql, OUTAGE, "simulateOutage", ids=[ids["db"]])
    every = await walk(gql, OUTAGE, "simulateOutage", ids=[ids["db"]], all=True)

    assert [s for page in changed for s in listed(page, "service")] == IMPACT_ORDER
    assert {page["totalCount"] for page in changed} == {7}
    assert [s for page in every for s in listed(page, "service")] == [
        *IMPACT_ORDER[:3],
        ("blog", "OPERATIONAL"),
        *IMPACT_ORDER[3:],
        ("status", "OPERATIONAL"),
    ]
    assert {page["totalCount"] for page in every} == {9}
    reasons = {e["node"]["service"]["name"]: e["node"]["reason"] for p in every for e in p["edges"]}
    assert reasons["catalog"] == "pool data: 1 of 2 members affected, 1 needed, 1 remain"
    assert reasons["blog"] == "operational"


async def test_a_page_of_services_by_name_reads_nothing_from_neo4j_beyond_the_freshness_check(
    gql: GraphQLClient, db: Database
) -> None:
    ids = await catalogue(gql)
    query = """query($ids: [ID!]!) { impact(ciIds: $ids) {
      services(first: 100) { edges { node { ci { id name class } state path { id name } } } } }
      simulateOutage(ciIds: $ids) { services { edges { node { service { name } state } } } } }"""
    await gql(query, ids=[ids["db"]])

    before = db.round_trips
    data = await gql(query, ids=[ids["db"]])

    # One freshness check of the projection per question, and no CI read.
    assert db.round_trips - before == 2
    first = data["impact"]["services"]["edges"][0]["node"]
    assert first == {
        "ci": {"id": ids["billing"], "name": "billing", "class": "BUSINESS_SERVICE"},
        "state": "DOWN",
        "path": [{"id": ids["db"], "name": "db"}, {"id": ids["billing"], "name": "billing"}],
    }
    assert len(data["simulateOutage"]["services"]["edges"]) == 7


async def test_fields_selected_through_fragments_or_beyond_the_summary_are_answered(
    gql: GraphQLClient,
) -> None:
    ids = await catalogue(gql)
    query = """
    fragment Shown on ImpactedCI { state path { name status } }
    query($ids: [ID!]!) { impact(ciIds: $ids) {
      impacted(first: 1) { edges { node { ...Shown } } }
      services(first: 1) { edges { cursor ... on ImpactedCIEdge { node { ...Shown } } } } } }"""

    data = (await gql(query, ids=[ids["db"]]))["impact"]

    shown = {
        "state": "DOWN",
        "path": [
            {"name": "db", "status": "OPERATIONAL"},
            {"name": "billing", "status": "OPERATIONAL"},
        ],
    }
    assert data["impacted"]["edges"] == [{"node": shown}]
    assert data["services"]["edges"][0]["node"] == shown
    assert data["services"]["edges"][0]["cursor"]
