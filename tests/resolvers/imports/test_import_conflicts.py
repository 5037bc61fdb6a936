"""An import batch that a uniqueness constraint refuses reaches the client as a typed CONFLICT
error naming the key, never as a masked server fault; the batch writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.import_helpers import IMPORT, row


@pytest.fixture
async def unique_asset_tag(db: Database) -> AsyncIterator[None]:
    """A constraint of this test only: no two CIs share the free attribute assetTag."""
    await db.write_rows(
        "test.constraint",
        "CREATE CONSTRAINT test_import_asset_tag IF NOT EXISTS "
        "FOR (c:CI) REQUIRE c.`attr.assetTag` IS UNIQUE",
    )
    yield
    await db.write_rows("test.constraint", "DROP CONSTRAINT test_import_asset_tag IF EXISTS")


async def test_a_batch_refused_by_a_unique_constraint_is_a_conflict_naming_the_key(
    gql: GraphQLClient, db: Database, unique_asset_tag: None
) -> None:
    tag = [{"key": "assetTag", "value": "A-1"}]
    rows = [
        row("a", "srv-a", "SERVER", attributes=tag),
        row("b", "srv-b", "SERVER", attributes=tag),
    ]

    body = await gql.raw(IMPORT, input={"source": "discovery", "cis": rows})

    assert "errors" not in body, body
    payload = body["data"]["importCIs"]
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("input", "CONFLICT")
    assert error["message"].startswith(
        "a CI with attr.assetTag 'A-1' exists already: attr.assetTag must be unique"
    )
    assert payload["created"] == 0
    assert await db.read_rows("t", "MATCH (n) WHERE n:CI OR n:AuditEvent RETURN n") == []
