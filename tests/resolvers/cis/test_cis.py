from __future__ import annotations

from typing import Any

import pytest

from graph import Database
from tests.conftest import GraphQLClient

CREATE = """
mutation Create($input: CreateCIInput!) {
  createCI(input: $input) {
    ci { id name class classGroup status environment criticality owner supportGroup
         ipAddress monthlyCost version createdAt updatedAt
         externalIds { source id } attributes { key value } __typename }
    errors { field message code }
  }
}
"""

PAGE = """
query Page($first: Int, $after: String) {
  cis(first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def ci_count(db: Database) -> int:
    rows = await db.read_rows("t", "MATCH (c:CI) RETURN count(c) AS n")
    return int(rows[0]["n"])


async def test_create_ci_stores_every_common_attribute(gql: GraphQLClient, db: Database) -> None:
    data = await gql(
        CREATE,
        input={
            "name": "  web-01  ",
            "class": "server",
            "status": "OPERATIONAL",
            "environment": "STAGING",
            "criticality": 2,
            "owner": "Ops",
            "supportGroup": "Linux Team",
            "ipAddress": "10.0.0.5",
            "monthlyCost": "120.50",
            "externalIds": [{"source": "discovery", "id": "srv-77"}],
            "attributes": [{"key": "os", "value": "Debian 12"}],
        },
    )

    payload = data["createCI"]
    assert payload["errors"] == []
    ci = payload["ci"]
    assert ci["__typename"] == "Server"
    assert ci["name"] == "web-01"
    assert ci["class"] == "SERVER"
    assert ci["classGroup"] == "INFRASTRUCTURE"
    assert (ci["status"], ci["environment"], ci["criticality"]) == ("OPERATIONAL", "STAGING", 2)
    assert (ci["owner"], ci["supportGroup"], ci["ipAddress"]) == ("Ops", "Linux Team", "10.0.0.5")
    assert ci["monthlyCost"] == "120.50"
    assert ci["version"] == 1
    assert ci["createdAt"] == ci["updatedAt"]
    assert ci["externalIds"] == [{"source": "discovery", "id": "srv-77"}]
    assert ci["attributes"] == [{"key": "os", "value": "Debian 12"}]

    stored = await db.read_rows(
        "t",
        "MATCH (c:CI:Server {id: $id}) RETURN c.createdBy AS by, labels(c) AS labels",
        id=ci["id"],
    )
    assert stored == [{"by": "test-user", "labels": ["CI", "Server"]}]

    fetched = await gql(
        "query($id: ID!) { ci(id: $id) { id name } node(id: $id) { id } }", id=ci["id"]
    )
    assert fetched == {"ci": {"id": ci["id"], "name": "web-01"}, "node": {"id": ci["id"]}}


async def test_create_ci_defaults_status_and_environment(gql: GraphQLClient) -> None:
    data = await gql(CREATE, input={"name": "Online Shop", "class": "BUSINESS_SERVICE"})

    ci = data["createCI"]["ci"]
    assert (ci["status"], ci["environment"], ci["criticality"]) == (
        "OPERATIONAL",
        "PRODUCTION",
        None,
    )
    assert (ci["__typename"], ci["classGroup"]) == ("BusinessService", "SERVICE")


@pytest.mark.parametrize(
    ("bad_fields", "field", "code"),
    [
        ({"name": "   "}, "name", "REQUIRED"),
        ({"name": ""}, "name", "REQUIRED"),
        ({"name": "x" * 201}, "name", "TOO_LONG"),
        ({"class": "MAINFRAME"}, "class", "INVALID_VALUE"),
        ({"criticality": 0}, "criticality", "OUT_OF_RANGE"),
        ({"criticality": 5}, "criticality", "OUT_OF_RANGE"),
        ({"status": "BROKEN"}, "status", "INVALID_VALUE"),
        ({"environment": "PROD"}, "environment", "INVALID_VALUE"),
        ({"ipAddress": "300.1.1.1"}, "ipAddress", "INVALID_FORMAT"),
        ({"monthlyCost": "-5"}, "monthlyCost", "INVALID_VALUE"),
        ({"attributes": [{"key": "has space", "value": "v"}]}, "attributes", "INVALID_FORMAT"),
        ({"externalIds": [{"source": "", "id": "1"}]}, "externalIds", "REQUIRED"),
    ],
)
async def test_invalid_input_is_a_typed_error_and_writes_nothing(
    gql: GraphQLClient, db: Database, bad_fields: dict[str, Any], field: str, code: str
) -> None:
    data = await gql(CREATE, input={"name": "db-01", "class": "DATABASE", **bad_fields})

    payload = data["createCI"]
    assert payload["ci"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert await ci_count(db) == 0


async def test_every_problem_is_reported_at_once(gql: GraphQLClient, db: Database) -> None:
    data = await gql(CREATE, input={"name": "", "class": "NOPE", "criticality": 9})

    fields = sorted(e["field"] for e in data["createCI"]["errors"])
    assert fields == ["class", "criticality", "name"]
    unknown_class = next(e for e in data["createCI"]["errors"] if e["field"] == "class")
    assert "BUSINESS_SERVICE" in unknown_class["message"]
    assert await ci_count(db) == 0


async def test_missing_required_argument_is_a_graphql_error(
    gql: GraphQLClient, db: Database
) -> None:
    body = await gql.raw(CREATE, input={"class": "SERVER"})

    assert body.get("data") is None
    assert "name" in body["errors"][0]["message"]
    assert await ci_count(db) == 0


async def create_named(gql: GraphQLClient, names: list[str]) -> None:
    for name in names:
        data = await gql(CREATE, input={"name": name, "class": "VIRTUAL_MACHINE"})
        assert data["createCI"]["errors"] == []


async def test_pages_walk_every_ci_once_in_name_order(gql: GraphQLClient) -> None:
    names = [f"vm-{i:02d}" for i in range(25)]
    await create_named(gql, list(reversed(names)))

    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = await gql(PAGE, first=10, after=after)
        connection = data["cis"]
        assert connection["totalCount"] == 25
        seen += [edge["node"]["name"] for edge in connection["edges"]]
        info = connection["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == connection["edges"][0]["cursor"]
        assert info["endCursor"] == connection["edges"][-1]["cursor"]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]

    assert pages == 3
    assert seen == names


async def test_cursor_stays_valid_when_cis_are_added_between_pages(gql: GraphQLClient) -> None:
    await create_named(gql, ["b", "d", "f", "h"])
    first = (await gql(PAGE, first=2))["cis"]
    assert [e["node"]["name"] for e in first["edges"]] == ["b", "d"]

    await create_named(gql, ["a", "c", "e"])
    second = (await gql(PAGE, first=2, after=first["pageInfo"]["endCursor"]))["cis"]
    same_again = (await gql(PAGE, first=2, after=first["pageInfo"]["endCursor"]))["cis"]

    assert [e["node"]["name"] for e in second["edges"]] == ["e", "f"]
    assert second == same_again
    assert second["totalCount"] == 7


async def test_page_size_above_the_maximum_is_refused(gql: GraphQLClient) -> None:
    body = await gql.raw(PAGE, first=101)

    assert body["data"] is None
    assert body["errors"][0]["message"] == "first must be between 0 and 100, got 101"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_cursor_the_api_did_not_make_is_refused(gql: GraphQLClient) -> None:
    body = await gql.raw(PAGE, first=5, after="not-a-cursor")

    assert body["data"] is None
    assert "is not a cursor this API returned" in body["errors"][0]["message"]


async def test_unknown_id_is_null(gql: GraphQLClient) -> None:
    assert await gql('{ ci(id: "nope") { id } node(id: "nope") { id } }') == {
        "ci": None,
        "node": None,
    }
