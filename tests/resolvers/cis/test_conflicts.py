"""A write that a uniqueness constraint refuses reaches the client as a typed CONFLICT error
in the mutation's payload, never as a masked server fault."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import CREATE_CI

UPDATE_CI = """
mutation($input: UpdateCIInput!) {
  updateCI(input: $input) { ci { id } errors { field code message } }
}
"""


@pytest.fixture
async def unique_asset_tag(db: Database) -> AsyncIterator[None]:
    """A constraint of this test only: no two CIs share the free-form attribute assetTag."""
    await db.write_rows(
        "test.constraint",
        "CREATE CONSTRAINT test_asset_tag_unique IF NOT EXISTS "
        "FOR (c:CI) REQUIRE c.`attr.assetTag` IS UNIQUE",
    )
    yield
    await db.write_rows("test.constraint", "DROP CONSTRAINT test_asset_tag_unique IF EXISTS")


async def ci_names(db: Database) -> list[str]:
    rows = await db.read_rows("t", "MATCH (c:CI) RETURN c.name AS name ORDER BY name")
    return [str(row["name"]) for row in rows]


def tagged(name: str, tag: str) -> dict[str, object]:
    return {"name": name, "class": "SERVER", "attributes": [{"key": "assetTag", "value": tag}]}


async def test_create_ci_refused_by_a_unique_constraint_is_a_conflict_in_the_payload(
    gql: GraphQLClient, db: Database, unique_asset_tag: None
) -> None:
    first = await gql.raw(CREATE_CI, input=tagged("web-01", "A-1"))
    second = await gql.raw(CREATE_CI, input=tagged("web-02", "A-1"))

    assert "errors" not in first and "errors" not in second, second
    assert first["data"]["createCI"]["errors"] == []
    payload = second["data"]["createCI"]
    assert payload["ci"] is None
    [error] = payload["errors"]
    assert error["code"] == "CONFLICT"
    assert error["field"] == "input"
    assert error["message"]
    assert await ci_names(db) == ["web-01"]


async def test_update_ci_refused_by_a_unique_constraint_is_a_conflict_in_the_payload(
    gql: GraphQLClient, db: Database, unique_asset_tag: None
) -> None:
    await gql(CREATE_CI, input=tagged("web-01", "A-1"))
    created = await gql(CREATE_CI, input=tagged("web-02", "B-2"))
    other = created["createCI"]["ci"]

    body = await gql.raw(
        UPDATE_CI,
        input={
            "id": other["id"],
            "expectedVersion": other["version"],
            "attributes": [{"key": "assetTag", "value": "A-1"}],
        },
    )

    assert "errors" not in body, body
    payload = body["data"]["updateCI"]
    assert payload["ci"] is None
    assert [e["code"] for e in payload["errors"]] == ["CONFLICT"]
