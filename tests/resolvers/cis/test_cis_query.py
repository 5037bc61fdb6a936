"""`cis(filter, first, after, orderBy)`: filters, orderings, keyset cursors and totalCount."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, LiteralString

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci

CIS = """
query($filter: CIFilter, $first: Int, $after: String, $orderBy: CIOrder) {
  cis(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    edges { cursor node { id name criticality createdAt updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

CIS_WITHOUT_COUNT = """
query($filter: CIFilter, $first: Int, $after: String, $orderBy: CIOrder) {
  cis(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges { node { name } }
  }
}
"""

# name, class, and the fields given to createCI
CATALOGUE: list[tuple[str, str, dict[str, Any]]] = [
    (
        "Online Shop",
        "BUSINESS_SERVICE",
        {
            "criticality": 1,
            "owner": "Shop Team",
            "supportGroup": "Web Ops",
            "description": "customer facing web shop",
        },
    ),
    (
        "Payments API",
        "TECHNICAL_SERVICE",
        {
            "criticality": 1,
            "owner": "Payments",
            "supportGroup": "Payments Ops",
            "description": "card gateway",
        },
    ),
    (
        "checkout",
        "MICROSERVICE",
        {"environment": "STAGING", "criticality": 2, "owner": "Shop Team"},
    ),
    (
        "orders-db",
        "DATABASE",
        {"status": "MAINTENANCE", "criticality": 2, "supportGroup": "DBA"},
    ),
    ("web-01", "SERVER", {"criticality": 3, "owner": "ops", "description": "shop frontend"}),
    ("web-02", "SERVER", {"environment": "TEST", "status": "RETIRED"}),
    (
        "vm-17",
        "VIRTUAL_MACHINE",
        {"environment": "DEVELOPMENT", "status": "PLANNED", "criticality": 4},
    ),
    ("DC Frankfurt", "LOCATION", {}),
]


async def create_catalogue(gql: GraphQLClient) -> None:
    for name, ci_class, fields in CATALOGUE:
        await create_ci(gql, name, ci_class, **fields)


async def walk(
    gql: GraphQLClient,
    *,
    first: int = 3,
    filter: dict[str, Any] | None = None,
    order_by: dict[str, str] | None = None,
    after: str | None = None,
) -> list[dict[str, Any]]:
    """Every CI the connection lists, page by page from `after`."""
    nodes: list[dict[str, Any]] = []
    while True:
        page = (await gql(CIS, filter=filter, first=first, after=after, orderBy=order_by))["cis"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def names(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["name"] for node in nodes]


@pytest.mark.parametrize(
    ("ci_filter", "expected"),
    [
        ({}, sorted(name for name, _, _ in CATALOGUE)),
        ({"classes": []}, sorted(name for name, _, _ in CATALOGUE)),
        ({"classes": ["SERVER"]}, ["web-01", "web-02"]),
        ({"classes": ["SERVER", "DATABASE"]}, ["orders-db", "web-01", "web-02"]),
        ({"classGroups": ["SERVICE"]}, ["Online Shop", "Payments API"]),
        ({"classGroups": ["APPLICATION"]}, ["checkout", "orders-db"]),
        ({"classGroups": ["INFRASTRUCTURE"]}, ["vm-17", "web-01", "web-02"]),
        ({"classGroups": ["FACILITY"]}, ["DC Frankfurt"]),
        ({"classGroups": ["SERVICE", "FACILITY"]}, ["DC Frankfurt", "Online Shop", "Payments API"]),
        ({"classes": ["SERVER"], "classGroups": ["SERVICE"]}, []),
        ({"statuses": ["RETIRED"]}, ["web-02"]),
        ({"statuses": ["MAINTENANCE", "PLANNED"]}, ["orders-db", "vm-17"]),
        ({"environments": ["STAGING", "TEST"]}, ["checkout", "web-02"]),
        ({"environments": ["DEVELOPMENT"]}, ["vm-17"]),
        ({"criticalities": [1]}, ["Online Shop", "Payments API"]),
        ({"criticalities": [3, 4]}, ["vm-17", "web-01"]),
        ({"owner": "shop team"}, ["Online Shop", "checkout"]),
        ({"owner": "OPS"}, ["web-01"]),
        ({"owner": "Shop"}, []),
        ({"supportGroup": "payments ops"}, ["Payments API"]),
        ({"supportGroup": "Payments"}, []),
        ({"nameContains": "WEB"}, ["web-01", "web-02"]),
        ({"nameContains": "s-"}, ["orders-db"]),
        ({"nameStartsWith": "p"}, ["Payments API"]),
        ({"nameStartsWith": "Web-0"}, ["web-01", "web-02"]),
        ({"nameStartsWith": "eb"}, []),
        ({"search": "shop"}, ["Online Shop", "web-01"]),
        ({"search": "GATEWAY"}, ["Payments API"]),
        ({"search": "pay*"}, ["Payments API"]),
        ({"search": '"customer facing"'}, ["Online Shop"]),
        ({"search": "shop AND NOT frontend"}, ["Online Shop"]),
        ({"search": "   "}, sorted(name for name, _, _ in CATALOGUE)),
        ({"search": "shop", "classGroups": ["INFRASTRUCTURE"]}, ["web-01"]),
        (
            {
                "classGroups": ["INFRASTRUCTURE"],
                "environments": ["PRODUCTION"],
                "nameContains": "web",
            },
            ["web-01"],
        ),
        (
            {"criticalities": [1, 2], "owner": "shop team", "statuses": ["OPERATIONAL"]},
            [
                "Online Shop",
                "checkout",
            ],
        ),
    ],
)
async def test_filter_lists_exactly_the_matching_cis_and_counts_them(
    gql: GraphQLClient, ci_filter: dict[str, Any], expected: list[str]
) -> None:
    await create_catalogue(gql)

    connection = (await gql(CIS, filter=ci_filter, first=100))["cis"]

    assert names([edge["node"] for edge in connection["edges"]]) == expected
    assert connection["totalCount"] == len(expected)
    assert names(await walk(gql, first=1, filter=ci_filter)) == expected


async def test_total_count_counts_every_match_not_just_the_page(gql: GraphQLClient) -> None:
    await create_catalogue(gql)

    connection = (await gql(CIS, filter={"classGroups": ["INFRASTRUCTURE"]}, first=1))["cis"]

    assert names([edge["node"] for edge in connection["edges"]]) == ["vm-17"]
    assert connection["totalCount"] == 3
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_total_count_costs_a_round_trip_only_when_selected(
    gql: GraphQLClient, db: Database
) -> None:
    await create_catalogue(gql)
    ci_filter = {"classGroups": ["SERVICE"], "search": "shop"}

    before = db.round_trips
    await gql(CIS_WITHOUT_COUNT, filter=ci_filter, first=5)
    without_count = db.round_trips - before
    before = db.round_trips
    await gql(CIS, filter=ci_filter, first=5)
    with_count = db.round_trips - before

    assert (without_count, with_count) == (1, 2)


# Values a CI's sort key takes in the ordering tests; every list repeats values (ties).
TIED_NAMES = ["alpha", "alpha", "alpha", "Beta", "beta", "beta", "gamma", "gamma", "delta"]
TIED_CRITICALITIES = [1, 1, 1, 2, 2, None, None, 4, 4]
TIED_TIMES = [
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z",
    "2026-02-01T00:00:00.5Z",
    "2026-02-01T00:00:00.5Z",
    "2025-12-31T23:59:59Z",
    "2026-03-01T00:00:00Z",
    "2026-03-01T00:00:00Z",
    "2026-03-01T00:00:00Z",
]

SET_TIMES: LiteralString = """
UNWIND $rows AS row
MATCH (c:CI {id: row.id})
SET c.createdAt = datetime(row.created), c.updatedAt = datetime(row.updated)
"""


async def create_tied_cis(gql: GraphQLClient, db: Database) -> list[str]:
    """Nine CIs whose names, criticalities, creation and update times all have ties."""
    ids = []
    for name, criticality in zip(TIED_NAMES, TIED_CRITICALITIES, strict=True):
        fields = {"criticality": criticality} if criticality is not None else {}
        ids.append(await create_ci(gql, name, "SERVER", **fields))
    # Update times in another order than creation times, so the two orderings differ.
    rows = [
        {"id": ci_id, "created": created, "updated": updated}
        for ci_id, created, updated in zip(ids, TIED_TIMES, reversed(TIED_TIMES), strict=True)
    ]
    await db.write_rows("t", SET_TIMES, rows=rows)
    return ids


SORT_KEYS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "NAME": lambda node: node["name"],
    "CREATED_AT": lambda node: datetime.fromisoformat(node["createdAt"]),
    "UPDATED_AT": lambda node: datetime.fromisoformat(node["updatedAt"]),
    "CRITICALITY": lambda node: node["criticality"] or 5,
}

ORDERINGS = [(field, direction) for field in SORT_KEYS for direction in ("ASC", "DESC")]


def expected_order(nodes: list[dict[str, Any]], field: str, direction: str) -> list[str]:
    """The ids in the documented order: the sort key, then the id, both in `direction`."""
    key = SORT_KEYS[field]
    ordered = sorted(nodes, key=lambda n: (key(n), n["id"]), reverse=direction == "DESC")
    return [node["id"] for node in ordered]


@pytest.mark.parametrize(("field", "direction"), ORDERINGS)
async def test_order_by_sorts_by_the_field_then_id_in_both_directions(
    gql: GraphQLClient, db: Database, field: str, direction: str
) -> None:
    await create_tied_cis(gql, db)
    everything = await walk(gql, first=100)

    listed = await walk(gql, first=2, order_by={"field": field, "direction": direction})

    assert [node["id"] for node in listed] == expected_order(everything, field, direction)


async def test_order_by_defaults_to_ascending(gql: GraphQLClient, db: Database) -> None:
    await create_tied_cis(gql, db)

    listed = await walk(gql, first=4, order_by={"field": "CRITICALITY"})

    assert [n["criticality"] for n in listed] == [1, 1, 1, 2, 2, 4, 4, None, None]


async def test_missing_criticality_sorts_after_low_ascending_and_first_descending(
    gql: GraphQLClient, db: Database
) -> None:
    await create_tied_cis(gql, db)
    order = {"field": "CRITICALITY", "direction": "DESC"}

    listed = await walk(gql, first=4, order_by=order)

    assert [n["criticality"] for n in listed] == [None, None, 4, 4, 2, 2, 1, 1, 1]


# Gives the new CI the sort key of another, so that it lands before, among or after the
# CIs already listed.
COPY_SORT_KEY: dict[str, LiteralString] = {
    "NAME": "MATCH (n:CI {id: $new}), (o:CI {id: $old}) SET n.name = o.name",
    "CREATED_AT": "MATCH (n:CI {id: $new}), (o:CI {id: $old}) SET n.createdAt = o.createdAt",
    "UPDATED_AT": "MATCH (n:CI {id: $new}), (o:CI {id: $old}) SET n.updatedAt = o.updatedAt",
    "CRITICALITY": "MATCH (n:CI {id: $new}), (o:CI {id: $old}) SET n.criticality = o.criticality",
}


@pytest.mark.parametrize(("field", "direction"), ORDERINGS)
async def test_cursor_continues_where_it_was_when_cis_are_inserted_between_pages(
    gql: GraphQLClient, db: Database, field: str, direction: str
) -> None:
    original = await create_tied_cis(gql, db)
    order = {"field": field, "direction": direction}
    first_page = (await gql(CIS, first=4, orderBy=order))["cis"]
    listed = [edge["node"]["id"] for edge in first_page["edges"]]
    everything = await walk(gql, first=100)
    ranked = expected_order(everything, field, direction)
    # New CIs tied with the first CI, with the cursor's CI (on both sides of its id, most
    # likely) and with the last CI.
    for model in [ranked[0], listed[-1], listed[-1], listed[-1], ranked[-1]]:
        new = await create_ci(gql, "new", "SERVER", criticality=3)
        await db.write_rows("t", COPY_SORT_KEY[field], new=new, old=model)

    rest = await walk(gql, first=3, order_by=order, after=first_page["pageInfo"]["endCursor"])

    now_ranked = expected_order(await walk(gql, first=100), field, direction)
    position = now_ranked.index(listed[-1])
    assert listed + [node["id"] for node in rest] == ranked[:4] + now_ranked[position + 1 :]
    seen = listed + [node["id"] for node in rest]
    assert sorted(ci for ci in seen if ci in original) == sorted(original)
    assert len(seen) == len(set(seen))


async def test_same_cursor_gives_the_same_page_again(gql: GraphQLClient, db: Database) -> None:
    await create_tied_cis(gql, db)
    order = {"field": "CRITICALITY", "direction": "DESC"}
    cursor = (await gql(CIS, first=3, orderBy=order))["cis"]["pageInfo"]["endCursor"]

    again = [(await gql(CIS, first=3, orderBy=order, after=cursor))["cis"] for _ in range(2)]

    assert again[0] == again[1]
    assert again[0]["pageInfo"]["hasPreviousPage"] is True


async def test_filter_and_order_combine_with_paging(gql: GraphQLClient, db: Database) -> None:
    await create_tied_cis(gql, db)
    await create_catalogue(gql)

    listed = await walk(
        gql,
        first=2,
        filter={"classes": ["SERVER"], "nameContains": "a"},
        order_by={"field": "NAME", "direction": "DESC"},
    )

    assert names(listed) == [
        *["gamma", "gamma", "delta", "beta", "beta", "alpha", "alpha", "alpha", "Beta"]
    ]


async def bad_request(gql: GraphQLClient, **variables: Any) -> str:
    body = await gql.raw(CIS, **variables)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    message: str = error["message"]
    return message


async def test_page_size_above_the_maximum_is_refused_with_a_clear_error(
    gql: GraphQLClient,
) -> None:
    message = await bad_request(
        gql, first=101, filter={"classes": ["SERVER"]}, orderBy={"field": "CRITICALITY"}
    )

    assert message == "first must be between 0 and 100, got 101"


async def test_a_page_of_the_maximum_size_is_served(gql: GraphQLClient) -> None:
    data = await gql(CIS, first=100, orderBy={"field": "UPDATED_AT", "direction": "DESC"})

    assert data["cis"]["edges"] == []
    assert data["cis"]["totalCount"] == 0


async def test_a_cursor_of_another_ordering_is_refused(gql: GraphQLClient) -> None:
    await create_catalogue(gql)
    cursor = (await gql(CIS, first=2))["cis"]["pageInfo"]["endCursor"]

    by_name_desc = await bad_request(
        gql, first=2, after=cursor, orderBy={"field": "NAME", "direction": "DESC"}
    )
    by_criticality = await bad_request(gql, first=2, after=cursor, orderBy={"field": "CRITICALITY"})

    assert by_name_desc.startswith(
        "this cursor continues cis ordered by NAME ASC, not by NAME DESC"
    )
    assert "not by CRITICALITY ASC" in by_criticality


def forged_cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


@pytest.mark.parametrize(
    ("field", "key"),
    [("CRITICALITY", "high"), ("CRITICALITY", "9"), ("CREATED_AT", "yesterday")],
)
async def test_a_cursor_whose_key_does_not_fit_its_ordering_is_refused(
    gql: GraphQLClient, field: str, key: str
) -> None:
    cursor = forged_cursor(field, "ASC", key, "some-id")

    message = await bad_request(gql, first=2, after=cursor, orderBy={"field": field})

    assert message == "after: the cursor does not fit this ordering"


async def test_a_cursor_of_the_old_name_only_format_is_refused(gql: GraphQLClient) -> None:
    message = await bad_request(gql, first=2, after=forged_cursor("web-01", "some-id"))

    assert "is not a cursor this API returned" in message


@pytest.mark.parametrize("search", ["shop AND", '"unterminated', "[a TO", "/regex"])
async def test_search_text_that_is_not_lucene_syntax_is_a_bad_request(
    gql: GraphQLClient, search: str
) -> None:
    await create_catalogue(gql)

    message = await bad_request(gql, first=5, filter={"search": search})

    assert message.startswith(f"filter.search: cannot read the search text {search!r}")
    assert "backslash" in message


async def test_escaped_lucene_characters_are_searched_for(gql: GraphQLClient) -> None:
    await create_ci(gql, "ops-tools", "APPLICATION", description="wiki (internal)")

    connection = (await gql(CIS, filter={"search": "wiki \\(internal\\)"}))["cis"]

    assert names([edge["node"] for edge in connection["edges"]]) == ["ops-tools"]


@pytest.mark.parametrize("criticality", [0, 5])
async def test_criticality_outside_one_to_four_is_a_bad_request(
    gql: GraphQLClient, criticality: int
) -> None:
    message = await bad_request(gql, filter={"criticalities": [2, criticality]})

    assert message == (
        f"filter.criticalities: must be 1 (mission critical) .. 4 (low), got {criticality}"
    )


async def test_an_unknown_enum_value_in_the_filter_is_a_validation_error(
    gql: GraphQLClient,
) -> None:
    body = await gql.raw(CIS, filter={"classGroups": ["HARDWARE"]})

    assert body.get("data") is None
    assert "HARDWARE" in body["errors"][0]["message"]
