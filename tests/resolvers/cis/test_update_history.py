from __future__ import annotations

import json

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci, relate

UPDATE = """
mutation($input: UpdateCIInput!) {
  updateCI(input: $input) {
    ci { id name owner criticality status version attributes { key value } }
    errors { field code message }
  }
}
"""

RETIRE = """
mutation($input: RetireCIInput!) {
  retireCI(input: $input) { ci { status version } errors { field code message } }
}
"""

HISTORY = """
query($id: ID!, $first: Int, $after: String) {
  ci(id: $id) {
    history(first: $first, after: $after) {
      edges { cursor node { actor operation summary changes { field before after } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


async def stored(db: Database, ci_id: str) -> dict[str, object]:
    rows = await db.read_rows(
        "t",
        "MATCH (c:CI {id: $id}) RETURN c.name AS name, c.owner AS owner, c.version AS version",
        id=ci_id,
    )
    return rows[0]


async def test_update_changes_the_given_fields_and_bumps_the_version(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE", owner="Data Team", criticality=3)

    data = await gql(
        UPDATE,
        input={
            "id": ci,
            "expectedVersion": 1,
            "criticality": 1,
            "owner": None,
            "attributes": [{"key": "engine", "value": "postgres"}],
        },
    )

    payload = data["updateCI"]
    assert payload["errors"] == []
    assert payload["ci"] == {
        "id": ci,
        "name": "db-01",
        "owner": None,
        "criticality": 1,
        "status": "OPERATIONAL",
        "version": 2,
        "attributes": [{"key": "engine", "value": "postgres"}],
    }


async def test_a_stale_update_is_refused_and_writes_nothing(
    gql: GraphQLClient, db: Database
) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE", owner="Data Team")
    first = await gql(UPDATE, input={"id": ci, "expectedVersion": 1, "owner": "Alice"})
    assert first["updateCI"]["ci"]["version"] == 2

    stale = await gql(UPDATE, input={"id": ci, "expectedVersion": 1, "owner": "Bob"})

    assert stale["updateCI"]["ci"] is None
    error = stale["updateCI"]["errors"][0]
    assert (error["field"], error["code"]) == ("expectedVersion", "CONFLICT")
    assert "version 2" in error["message"]
    assert await stored(db, ci) == {"name": "db-01", "owner": "Alice", "version": 2}


async def test_an_invalid_update_writes_nothing(gql: GraphQLClient, db: Database) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE", owner="Data Team")

    data = await gql(UPDATE, input={"id": ci, "expectedVersion": 1, "name": " ", "criticality": 9})

    assert sorted(e["field"] for e in data["updateCI"]["errors"]) == ["criticality", "name"]
    assert await stored(db, ci) == {"name": "db-01", "owner": "Data Team", "version": 1}


async def test_an_update_that_changes_nothing_keeps_the_version(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE", owner="Data Team")

    data = await gql(UPDATE, input={"id": ci, "expectedVersion": 1, "owner": "Data Team"})

    assert data["updateCI"]["ci"]["version"] == 1


async def test_updating_an_unknown_ci_is_not_found(gql: GraphQLClient) -> None:
    data = await gql(UPDATE, input={"id": "nope", "expectedVersion": 1, "owner": "x"})

    assert [(e["field"], e["code"]) for e in data["updateCI"]["errors"]] == [("id", "NOT_FOUND")]


async def test_retire_is_a_state_that_keeps_relationships(gql: GraphQLClient, db: Database) -> None:
    app = await create_ci(gql, "legacy-app", "APPLICATION")
    vm = await create_ci(gql, "vm-1", "VIRTUAL_MACHINE")
    await relate(gql, app, vm, "RUNS_ON")

    data = await gql(RETIRE, input={"id": app})

    assert data["retireCI"] == {"ci": {"status": "RETIRED", "version": 2}, "errors": []}
    rows = await db.read_rows(
        "t", "MATCH (:CI {id: $id})-[r:RUNS_ON]->() RETURN count(r) AS n", id=app
    )
    assert rows == [{"n": 1}]
    stale = await gql(RETIRE, input={"id": app, "expectedVersion": 1})
    assert stale["retireCI"]["errors"][0]["code"] == "CONFLICT"


async def test_history_lists_every_change_newest_first_with_actor_and_values(
    gql: GraphQLClient,
) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE", owner="Data Team")
    vm = await create_ci(gql, "vm-1", "VIRTUAL_MACHINE")
    await gql(UPDATE, input={"id": ci, "expectedVersion": 1, "owner": "Alice"})
    await relate(gql, ci, vm, "RUNS_ON", source="discovery")
    await gql(RETIRE, input={"id": ci})

    data = await gql(HISTORY, id=ci, first=10)

    events = [edge["node"] for edge in data["ci"]["history"]["edges"]]
    assert [e["operation"] for e in events] == ["retireCI", "relateCIs", "updateCI", "createCI"]
    assert all(e["actor"] == "test-user" for e in events)
    assert events[0]["changes"] == [
        {"field": "status", "before": json.dumps("OPERATIONAL"), "after": json.dumps("RETIRED")}
    ]
    assert events[1]["summary"] == "RUNS_ON db-01 -> vm-1 added"
    assert events[2]["changes"] == [
        {"field": "owner", "before": json.dumps("Data Team"), "after": json.dumps("Alice")}
    ]
    created = {c["field"]: c for c in events[3]["changes"]}
    assert created["name"] == {"field": "name", "before": None, "after": json.dumps("db-01")}

    vm_history = await gql(HISTORY, id=vm, first=10)
    assert [e["node"]["operation"] for e in vm_history["ci"]["history"]["edges"]] == [
        "relateCIs",
        "createCI",
    ]


async def test_history_pages_with_cursors(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "db-01", "DATABASE")
    for version in range(1, 6):
        await gql(UPDATE, input={"id": ci, "expectedVersion": version, "owner": f"o{version}"})

    first = (await gql(HISTORY, id=ci, first=4))["ci"]["history"]
    rest = (await gql(HISTORY, id=ci, first=4, after=first["pageInfo"]["endCursor"]))["ci"][
        "history"
    ]

    assert first["pageInfo"]["hasNextPage"] is True
    assert rest["pageInfo"]["hasNextPage"] is False
    operations = [e["node"]["operation"] for e in first["edges"] + rest["edges"]]
    assert operations == ["updateCI"] * 5 + ["createCI"]
