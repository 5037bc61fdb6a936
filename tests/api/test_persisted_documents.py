"""Persisted documents (api/_persisted.py, graph/documents/): the Apollo `persistedQuery`
protocol over GET and POST, registration once under parallel writers, and the allow-list mode
with documents an operator registered by `cmdb documents add`."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database
from graph.documents import document_hash
from graph.events import CIS
from tests import conftest
from tests.api.test_cli_import_export import cmdb
from tests.live import live_server, ws_client

COUNT = "{ cis(first: 1) { totalCount } }"
STORED = "MATCH (d:PersistedDocument) RETURN d.hash AS hash, d.allowed AS allowed"
INTROSPECTION = "{ __schema { queryType { name } } }"


def extension(document: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": document_hash(document)}}


def settings_for(server: conftest.TestServer, **env: str) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            **conftest.AUTH_ENV,
            **env,
        }
    )


@contextlib.asynccontextmanager
async def client_of(
    server: conftest.TestServer, db: Database, **env: str
) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings_for(server, **env), db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://cmdb.test", headers=conftest.bearer()
        ) as http:
            yield http


async def stored(db: Database) -> list[dict[str, Any]]:
    return await db.read_rows("t", STORED)


async def test_an_unknown_hash_is_not_found_then_the_text_registers_it_and_the_hash_runs(
    server: conftest.TestServer, db: Database
) -> None:
    async with client_of(server, db) as http:
        unknown = await http.post("/graphql", json={"extensions": extension(COUNT)})
        sent = await http.post("/graphql", json={"query": COUNT, "extensions": extension(COUNT)})
        by_hash = await http.post("/graphql", json={"extensions": extension(COUNT)})

    assert unknown.status_code == 200
    assert unknown.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert sent.json() == {"data": {"cis": {"totalCount": 0}}}
    assert by_hash.json() == {"data": {"cis": {"totalCount": 0}}}
    assert await stored(db) == [{"hash": document_hash(COUNT), "allowed": False}]


async def test_a_hash_registered_by_one_process_runs_over_get_in_another(
    server: conftest.TestServer, db: Database
) -> None:
    async with client_of(server, db) as first:
        await first.post("/graphql", json={"query": COUNT, "extensions": extension(COUNT)})
    async with client_of(server, db) as second:
        response = await second.get(
            "/graphql",
            params={"extensions": json.dumps(extension(COUNT))},
            headers={"accept": "application/graphql-response+json"},
        )

    assert response.status_code == 200
    assert response.json() == {"data": {"cis": {"totalCount": 0}}}


async def test_not_found_is_a_400_under_the_graphql_response_media_type_over_get(
    server: conftest.TestServer, db: Database
) -> None:
    async with client_of(server, db) as http:
        response = await http.get(
            "/graphql",
            params={"extensions": json.dumps(extension(COUNT))},
            headers={"accept": "application/graphql-response+json"},
        )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    assert response.json()["errors"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}


async def test_a_wrong_hash_or_version_is_a_request_error_and_registers_nothing(
    server: conftest.TestServer, db: Database
) -> None:
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": document_hash("{ other }")}}
    version = {"persistedQuery": {"version": 2, "sha256Hash": document_hash(COUNT)}}
    async with client_of(server, db) as http:
        mismatch = await http.post("/graphql", json={"query": COUNT, "extensions": wrong})
        unsupported = await http.post("/graphql", json={"query": COUNT, "extensions": version})

    assert mismatch.status_code == 400
    [error] = mismatch.json()["errors"]
    assert error["message"].startswith("provided sha does not match query")
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert unsupported.status_code == 400
    assert unsupported.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert await stored(db) == []


async def test_a_document_that_does_not_validate_is_not_registered(
    server: conftest.TestServer, db: Database
) -> None:
    invalid = "{ noSuchField }"
    async with client_of(server, db) as http:
        response = await http.post(
            "/graphql", json={"query": invalid, "extensions": extension(invalid)}
        )

    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await stored(db) == []


async def test_parallel_registrations_of_one_document_write_one(
    server: conftest.TestServer, db: Database
) -> None:
    body = {"query": COUNT, "extensions": extension(COUNT)}
    async with client_of(server, db) as first, client_of(server, db) as second:
        responses = await asyncio.gather(
            *(http.post("/graphql", json=body) for http in (first, second) for _ in range(4))
        )

    assert [r.json() for r in responses] == [{"data": {"cis": {"totalCount": 0}}}] * 8
    assert await stored(db) == [{"hash": document_hash(COUNT), "allowed": False}]


async def test_the_allow_list_mode_runs_only_what_the_operator_added(
    server: conftest.TestServer, db: Database, tmp_path: Path
) -> None:
    other = "{ cis(first: 2) { totalCount } }"
    document = tmp_path / "count.graphql"
    document.write_text(COUNT, encoding="utf-8")
    async with client_of(server, db, CMDB_PERSISTED_DOCUMENTS_ONLY="true") as http:
        before = await http.post("/graphql", json={"query": COUNT})
        registering = await http.post(
            "/graphql", json={"query": other, "extensions": extension(other)}
        )
        added = await cmdb(server, "documents", "add", str(document))
        as_text = await http.post("/graphql", json={"query": COUNT})
        as_hash = await http.post("/graphql", json={"extensions": extension(COUNT)})
        still_refused = await http.post("/graphql", json={"extensions": extension(other)})
        introspection = await http.post("/graphql", json={"query": INTROSPECTION})

    refusal = {"code": "PERSISTED_QUERY_NOT_ALLOWED"}
    assert before.status_code == registering.status_code == 403
    assert before.json()["errors"][0]["extensions"] == refusal
    assert added.exit_code == 0, added.output
    assert f"allowed {document_hash(COUNT)}" in added.output
    assert as_text.json() == as_hash.json() == {"data": {"cis": {"totalCount": 0}}}
    assert still_refused.status_code == 403
    assert still_refused.json()["errors"][0]["extensions"] == refusal
    assert introspection.status_code == 403
    assert await stored(db) == [{"hash": document_hash(COUNT), "allowed": True}]


async def test_introspection_runs_in_the_allow_list_mode_when_a_setting_allows_it(
    server: conftest.TestServer, db: Database
) -> None:
    env = {"CMDB_PERSISTED_DOCUMENTS_ONLY": "true", "CMDB_ALLOW_LIST_INTROSPECTION": "true"}
    async with client_of(server, db, **env) as http:
        introspection = await http.post("/graphql", json={"query": INTROSPECTION})
        query = await http.post("/graphql", json={"query": COUNT})

    assert introspection.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    assert query.status_code == 403


async def test_an_operator_allows_a_document_clients_registered_and_a_manifest(
    server: conftest.TestServer, db: Database, tmp_path: Path
) -> None:
    other = "query Two { cis(first: 2) { totalCount } }"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [
                    {"id": document_hash(COUNT), "body": COUNT, "name": None, "type": "query"},
                    {"id": document_hash(other), "body": other, "name": "Two", "type": "query"},
                ],
            }
        ),
        encoding="utf-8",
    )
    async with client_of(server, db) as http:
        await http.post("/graphql", json={"query": COUNT, "extensions": extension(COUNT)})
    added = await cmdb(server, "documents", "add", str(manifest))
    listed = await cmdb(server, "documents", "list")

    assert added.exit_code == 0, added.output
    assert "2 document(s) registered" in added.output
    rows = sorted(await stored(db), key=lambda r: str(r["hash"]))
    assert rows == sorted(
        [
            {"hash": document_hash(COUNT), "allowed": True},
            {"hash": document_hash(other), "allowed": True},
        ],
        key=lambda r: str(r["hash"]),
    )
    assert document_hash(other) in listed.output and "cli-test" in listed.output


async def test_the_cli_refuses_a_document_that_does_not_validate(
    server: conftest.TestServer, db: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("{ noSuchField }", encoding="utf-8")

    result = await cmdb(server, "documents", "add", str(bad))

    assert result.exit_code == 1
    assert "noSuchField" in result.output
    assert await stored(db) == []


SUBSCRIBE = "subscription { ciUpdated { ci { name } } }"


async def test_over_websocket_the_allow_list_refuses_and_a_hash_runs_its_document(
    server: conftest.TestServer, db: Database, tmp_path: Path
) -> None:
    document = tmp_path / "ci-updated.graphql"
    document.write_text(SUBSCRIBE, encoding="utf-8")
    settings = settings_for(server, CMDB_PERSISTED_DOCUMENTS_ONLY="true")
    await cmdb(server, "documents", "add", str(document))
    other = "subscription { incidentUpdated { incident { number } } }"
    async with live_server(settings, db) as live, ws_client(live.address) as client:
        await client.subscribe("refused", other)
        refused = await client.receive()
        await client.send(
            {"id": "by-hash", "type": "subscribe", "payload": {"extensions": extension(SUBSCRIBE)}}
        )
        # The document of the hash runs: its subscription waits on the CI topic (a guard, not a
        # timed assertion: a broken lookup fails here instead of hanging).
        await asyncio.wait_for(live.until_subscribed(CIS, 1), 30)
        subscribers = live.app.state.repositories.events.subscriber_count(CIS)

    assert subscribers == 1
    assert refused["type"] == "error" and refused["id"] == "refused"
    assert refused["payload"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_ALLOWED"}
