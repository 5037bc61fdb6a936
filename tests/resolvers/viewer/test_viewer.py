"""`viewer`: who is signed in and which mutations their roles allow, for every role, an admin,
an API token, several roles at once and anonymous read access; it asks the database nothing."""

from __future__ import annotations

from typing import Any

import httpx

from graph import Database
from tests.api.auth_helpers import post, serving
from tests.conftest import AUTH_ENV, GraphQLClient, bearer
from tests.conftest import TestServer as Server

VIEWER = "{ viewer { name roles anonymous mutations } }"
MUTATIONS = "{ __schema { mutationType { fields { name } } } }"
CREATE_TOKEN = """
mutation($name: String!, $roles: [Role!]!) {
  createApiToken(input: {name: $name, roles: $roles}) { secret errors { message } }
}
"""
CHANGE_MANAGER = {
    "createChange",
    "updateChange",
    "transitionChange",
    "recomputeImpact",
    "createBlackoutWindow",
    "deleteBlackoutWindow",
    "createRelease",
    "updateRelease",
    "addChangesToRelease",
    "removeChangeFromRelease",
    "transitionRelease",
    "setMaintenanceWindow",
    "clearMaintenanceWindow",
    "linkIncidentToChange",
    "unlinkIncidentFromChange",
}


async def viewer_of(client: httpx.AsyncClient, name: str, roles: list[str]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": VIEWER}, headers=bearer(name, roles))
    body = response.json()
    assert "errors" not in body, body
    viewer: dict[str, Any] = body["data"]["viewer"]
    return viewer


async def test_a_viewer_sees_its_name_and_role_and_may_run_no_mutation(
    client: httpx.AsyncClient,
) -> None:
    assert await viewer_of(client, "vera", ["viewer"]) == {
        "name": "vera",
        "roles": ["VIEWER"],
        "anonymous": False,
        "mutations": [],
    }


async def test_the_cab_may_approve_and_reject_changes_and_nothing_else(
    client: httpx.AsyncClient,
) -> None:
    viewer = await viewer_of(client, "cab-carol", ["cab"])

    assert viewer["roles"] == ["CAB"]
    assert viewer["mutations"] == ["approveChange", "rejectChange"]


async def test_a_change_manager_may_transition_changes_but_not_decide_on_them(
    client: httpx.AsyncClient,
) -> None:
    viewer = await viewer_of(client, "cm-max", ["change_manager"])

    assert viewer["roles"] == ["CHANGE_MANAGER"]
    assert set(viewer["mutations"]) == CHANGE_MANAGER
    assert viewer["mutations"] == sorted(CHANGE_MANAGER)


async def test_an_agent_works_incidents_and_problems_and_no_change(
    client: httpx.AsyncClient,
) -> None:
    mutations = (await viewer_of(client, "agent-ann", ["agent"]))["mutations"]

    assert {"createIncident", "transitionIncident", "createProblem"} <= set(mutations)
    assert {"linkIncidentToChange", "unlinkIncidentFromChange"} <= set(mutations)
    assert not {"createChange", "transitionChange", "approveChange", "createCI"} & set(mutations)


async def test_a_config_manager_keeps_the_cis_and_their_windows(
    client: httpx.AsyncClient,
) -> None:
    mutations = (await viewer_of(client, "cfg-cy", ["config_manager"]))["mutations"]

    assert {"createCI", "importCIs", "relateCIs", "setMaintenanceWindow"} <= set(mutations)
    assert not {"createIncident", "transitionChange", "createApiToken"} & set(mutations)


async def test_an_admin_may_run_every_mutation_of_the_schema(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    schema = await gql(MUTATIONS)
    every = sorted(f["name"] for f in schema["__schema"]["mutationType"]["fields"])

    viewer = await viewer_of(client, "root", ["admin"])

    assert viewer["roles"] == ["ADMIN"]
    assert viewer["mutations"] == every


async def test_several_roles_allow_the_union_of_their_mutations(
    client: httpx.AsyncClient,
) -> None:
    cab = set((await viewer_of(client, "x", ["cab"]))["mutations"])
    manager = set((await viewer_of(client, "x", ["change_manager"]))["mutations"])

    both = await viewer_of(client, "both", ["cab", "change_manager"])

    assert both["roles"] == ["CHANGE_MANAGER", "CAB"]
    assert both["mutations"] == sorted(cab | manager)


async def test_an_api_token_is_seen_by_its_name_and_roles(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    created = (await gql(CREATE_TOKEN, name="ui-cab", roles=["CAB"]))["createApiToken"]
    assert created["errors"] == []

    response = await client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"authorization": f"Bearer {created['secret']}"},
    )

    assert response.json()["data"]["viewer"] == {
        "name": "ui-cab",
        "roles": ["CAB"],
        "anonymous": False,
        "mutations": ["approveChange", "rejectChange"],
    }


async def test_the_viewer_asks_the_database_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    await viewer_of(client, "warm-up", ["viewer"])
    before = db.round_trips

    await viewer_of(client, "cm", ["change_manager"])

    assert db.round_trips == before


async def test_without_credentials_and_anonymous_read_on_the_viewer_is_anonymous(
    server: Server, db: Database
) -> None:
    async with serving(server, db, **AUTH_ENV, CMDB_ANONYMOUS_READ="true") as http:
        response = await post(http, VIEWER)

    assert response.json() == {
        "data": {"viewer": {"name": "anonymous", "roles": [], "anonymous": True, "mutations": []}}
    }


async def test_without_credentials_and_anonymous_read_off_the_viewer_is_unauthenticated(
    server: Server, db: Database
) -> None:
    async with serving(server, db, **AUTH_ENV) as http:
        response = await post(http, VIEWER)

    assert response.status_code == 401
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["UNAUTHENTICATED"]
