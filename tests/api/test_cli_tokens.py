"""`cmdb token create|list|revoke` against the test session's Neo4j, and the secret it prints
authenticating over HTTP until it is revoked."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api import Settings
from api._cli_tokens import announce_demo_token
from tests.api.test_cli_import_export import cmdb
from tests.conftest import TestServer as Server

COUNT = {"query": "{ cis(first: 1) { totalCount } }"}


async def test_a_token_created_by_the_cli_authenticates_until_the_cli_revokes_it(
    server: Server, client: httpx.AsyncClient
) -> None:
    created = await cmdb(server, "token", "create", "--name", "nightly-export", "--role", "viewer")

    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("cmdb_")
    as_token = {"authorization": f"Bearer {secret}"}
    accepted = await client.post("/graphql", json=COUNT, headers=as_token)
    assert accepted.json() == {"data": {"cis": {"totalCount": 0}}}

    listed = await cmdb(server, "token", "list")
    assert "nightly-export" in listed.output and "viewer" in listed.output
    assert secret not in listed.output and "cli-test" in listed.output
    token_id = created.output.split("created API token ")[1].split()[0]

    revoked = await cmdb(server, "token", "revoke", token_id)
    refused = await client.post("/graphql", json=COUNT, headers=as_token)

    assert revoked.exit_code == 0 and "revoked API token" in revoked.output
    assert refused.status_code == 401


async def test_a_second_token_of_one_name_and_an_unknown_id_fail_with_the_reason(
    server: Server,
) -> None:
    await cmdb(server, "token", "create", "--name", "bot", "--role", "agent")

    again = await cmdb(server, "token", "create", "--name", "bot", "--role", "agent")
    unknown = await cmdb(server, "token", "revoke", "no-such-id")

    assert again.exit_code == 1 and "'bot' exists already" in again.output
    assert unknown.exit_code == 1 and "no API token has the id no-such-id" in unknown.output


async def test_an_unknown_role_is_refused_by_the_cli(server: Server) -> None:
    result = await cmdb(server, "token", "create", "--name", "x", "--role", "superuser")

    assert result.exit_code == 2
    assert "superuser" in result.output


async def test_the_demo_set_up_prints_an_admin_token_once_then_how_to_make_another(
    settings: Settings, client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    await asyncio.to_thread(announce_demo_token, settings)
    first = capsys.readouterr().out
    await asyncio.to_thread(announce_demo_token, settings)
    second = capsys.readouterr().out

    secret = first.strip().splitlines()[-1]
    assert "admin API token demo-admin created" in first
    as_demo = {"authorization": f"Bearer {secret}"}
    created = await client.post(
        "/graphql",
        json={"query": "{ apiTokens { name createdBy } }"},
        headers=as_demo,
    )
    assert created.json() == {
        "data": {"apiTokens": [{"name": "demo-admin", "createdBy": "test-user"}]}
    }
    assert "cmdb token create --name <you> --role admin" in second
    assert secret not in second
