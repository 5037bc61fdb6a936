"""Hostile text gets a typed error, never a 500 or a masked fault (docs/security.md, "Hostile
input"): a body that is not UTF-8, lone surrogates anywhere in a request (the JSON body, a
GET's variables, the document's string escapes, a WebSocket subscribe message)."""

from __future__ import annotations

from typing import Any

import httpx
import orjson

from api import Settings
from graph import Database
from tests.live import live_server, ws_client
from tests.resolvers.helpers import create_ci

GRAPHQL_RESPONSE = "application/graphql-response+json"
SEARCH = "query($s: String) { cis(filter: {search: $s}) { totalCount } }"


async def post_raw(
    client: httpx.AsyncClient, body: bytes, accept: str = "application/json"
) -> httpx.Response:
    return await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    [error] = body["errors"]
    return dict(error)


async def test_a_body_that_is_not_utf8_is_a_400_bad_user_input(client: httpx.AsyncClient) -> None:
    body = b'{"query": "{ cis { totalCount } }", "x": "caf\xe9"}'
    response = await post_raw(client, body)
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == f"The request body is not valid UTF-8 (byte {body.index(0xE9)})."


async def test_a_lone_surrogate_in_a_variable_is_a_400_naming_where(
    client: httpx.AsyncClient,
) -> None:
    body = b'{"query": "%s", "variables": {"s": "web\\ud800"}}' % SEARCH.encode()
    response = await post_raw(client, body)
    assert response.status_code == 400
    error = only_error(response.json())
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "lone surrogate at variables.s" in error["message"]


async def test_a_lone_surrogate_in_the_query_text_or_the_operation_name_is_a_400(
    client: httpx.AsyncClient,
) -> None:
    in_query = b'{"query": "{ cis(filter: {search: \\"\\udc00\\"}) { totalCount } }"}'
    in_name = b'{"query": "query A { cis { totalCount } }", "operationName": "A\\ud800"}'
    for body, where in ((in_query, "at query"), (in_name, "at operationName")):
        response = await post_raw(client, body, GRAPHQL_RESPONSE)
        assert response.status_code == 400
        error = only_error(response.json())
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert where in error["message"]


async def test_a_lone_surrogate_in_a_get_requests_variables_is_a_400(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/graphql",
        params={"query": SEARCH, "variables": '{"s": "\\ud800"}'},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400
    assert only_error(response.json())["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_lone_surrogate_escape_in_a_documents_string_is_bad_user_input(
    client: httpx.AsyncClient,
) -> None:
    # The JSON is valid UTF-8; the document's GraphQL string escape spells the surrogate.
    document = r'{ cis(filter: {search: "web\ud800"}) { totalCount } }'
    for accept, status in (("application/json", 200), (GRAPHQL_RESPONSE, 400)):
        response = await post_raw(client, orjson.dumps({"query": document}), accept)
        assert response.status_code == status
        body = response.json()
        assert body.get("data") is None
        error = only_error(body)
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "'\\ud800'" in error["message"]


async def test_an_escaped_backslash_before_u_and_a_surrogate_pair_are_text(
    client: httpx.AsyncClient, gql: Any
) -> None:
    await create_ci(gql, "web \U0001f600", "SERVER")
    pair = r'{ cis(filter: {nameContains: "\ud83d\ude00"}) { edges { node { name } } } }'
    body = (await post_raw(client, orjson.dumps({"query": pair}))).json()
    assert body == {"data": {"cis": {"edges": [{"node": {"name": "web \U0001f600"}}]}}}
    backslash = r'{ cis(filter: {nameContains: "\\ud800"}) { totalCount } }'
    body = (await post_raw(client, orjson.dumps({"query": backslash}))).json()
    assert body == {"data": {"cis": {"totalCount": 0}}}


async def test_a_lone_surrogate_in_a_websocket_subscribe_message_is_a_typed_error(
    settings: Settings, db: Database
) -> None:
    async with live_server(settings, db) as live, ws_client(live.address) as client:
        # json.dumps writes the surrogate as the escape \ud800: the frame itself is UTF-8.
        await client.subscribe(
            "1",
            "subscription($s: [ID!]) { ciUpdated(filter: {ids: $s}) { operation } }",
            s=["\ud800"],
        )
        message = await client.receive()
        assert message["type"] == "error" and message["id"] == "1", message
        [error] = message["payload"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "payload.variables.s[0]" in error["message"]
        # The connection stays usable.
        await client.send({"type": "ping"})
        assert await client.receive() == {"type": "pong"}
