"""Authentication over HTTP: no credentials, JWTs (HS256, RS256, ES256, by PEM file or JWKS),
refused JWTs, API tokens and their revocation, anonymous read access, and the principal as the
actor of what it writes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from api import Settings, SettingsError, create_app
from graph import Database
from tests.api.auth_helpers import (
    EC_KEY,
    RSA_KEY,
    auth,
    claims,
    codes,
    jwks,
    post,
    public_pem,
    serving,
    signed,
)
from tests.conftest import AUTH_ENV, GraphQLClient, bearer
from tests.conftest import TestServer as Server
from tests.resolvers.helpers import create_ci

COUNT = "{ cis(first: 1) { totalCount } }"
CREATE_CI = """
mutation($name: String!) {
  createCI(input: {name: $name, class: "SERVER"}) { ci { id } errors { code } }
}
"""
WHOAMI_HISTORY = "query($id: ID!) { ci(id: $id) { history { edges { node { actor } } } } }"


@pytest.fixture
async def anonymous(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://cmdb.test")


async def test_a_request_without_credentials_runs_nothing_and_is_told_to_authenticate(
    anonymous: httpx.AsyncClient, db: Database
) -> None:
    before = db.round_trips

    response = await post(anonymous, CREATE_CI, name="sneaky")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="cmdb"'
    assert response.json()["data"] is None
    assert codes(response) == ["UNAUTHENTICATED"]
    assert db.round_trips == before


async def test_introspection_alone_needs_no_credentials(anonymous: httpx.AsyncClient) -> None:
    response = await post(anonymous, "{ __typename __schema { queryType { name } } }")

    assert response.status_code == 200
    assert response.json()["data"]["__schema"] == {"queryType": {"name": "Query"}}


async def test_a_query_mixing_introspection_and_data_needs_credentials(
    anonymous: httpx.AsyncClient,
) -> None:
    response = await post(anonymous, "{ __typename cis(first: 1) { totalCount } }")

    assert codes(response) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (claims(exp=int(time.time()) - 3600), "the bearer token has expired"),
        (claims(nbf=int(time.time()) + 3600), "the bearer token is not valid yet (nbf)"),
        (claims(aud="another-api"), "the bearer token is for another audience"),
        (claims(iss="https://evil.example"), "the bearer token is from another issuer"),
        ({"exp": None}, "the bearer token lacks a required claim"),
    ],
    ids=["expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "no-expiry"],
)
async def test_a_refused_jwt_is_unauthenticated_with_the_reason(
    server: Server, db: Database, payload: dict[str, object], reason: str
) -> None:
    env = {**AUTH_ENV, "CMDB_JWT_ISSUER": "https://idp.example", "CMDB_JWT_AUDIENCE": "cmdb"}
    good = claims(iss="https://idp.example", aud="cmdb")
    async with serving(server, db, **env) as http:
        accepted = await post(http, COUNT, auth(signed(good)))
        # A claim given as None is left out.
        wrong = {claim: value for claim, value in {**good, **payload}.items() if value is not None}
        refused = await post(http, COUNT, auth(signed(wrong)))

    assert accepted.json() == {"data": {"cis": {"totalCount": 0}}}
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'Bearer realm="cmdb", error="invalid_token"'
    assert refused.json()["data"] is None
    [error] = refused.json()["errors"]
    assert (error["message"], error["extensions"]["code"]) == (reason, "UNAUTHENTICATED")


async def test_a_tampered_jwt_is_refused(client: httpx.AsyncClient) -> None:
    header, _, signature = signed(claims(roles=["viewer"])).split(".")
    forged_payload = signed(claims(roles=["admin"])).split(".")[1]

    response = await post(client, COUNT, auth(f"{header}.{forged_payload}.{signature}"))

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "the bearer token's signature is invalid"


async def test_a_jwt_signed_with_another_secret_or_unsigned_is_refused(
    client: httpx.AsyncClient,
) -> None:
    other = signed(claims())[:-4] + "AAAA"
    unsigned = signed(claims()).rsplit(".", 1)[0] + "."
    none_alg = jwt.encode(claims(roles=["admin"]), None, "none")  # type: ignore[arg-type]

    for token in (other, unsigned, none_alg, "garbage"):
        response = await post(client, COUNT, auth(token))
        assert codes(response) == ["UNAUTHENTICATED"], token


async def test_an_rs256_and_an_es256_jwt_are_accepted_by_their_pem_public_key(
    server: Server, db: Database, tmp_path: Path
) -> None:
    (tmp_path / "rsa.pem").write_bytes(public_pem(RSA_KEY))
    (tmp_path / "ec.pem").write_bytes(public_pem(EC_KEY))
    for algorithm, pem in (("RS256", "rsa.pem"), ("ES256", "ec.pem")):
        env = {"CMDB_JWT_PUBLIC_KEY_FILE": str(tmp_path / pem)}
        async with serving(server, db, **env) as http:
            accepted = await post(http, COUNT, auth(signed(claims(), algorithm)))
            hs = await post(http, COUNT, auth(signed(claims(), "HS256")))

        assert accepted.json() == {"data": {"cis": {"totalCount": 0}}}, algorithm
        assert hs.json()["errors"][0]["message"] == (
            "the bearer token's algorithm HS256 is not accepted"
        )


async def test_rs256_and_es256_jwts_are_accepted_by_the_key_of_their_kid_in_a_jwks_file(
    server: Server, db: Database, tmp_path: Path
) -> None:
    env = {"CMDB_JWT_JWKS_FILE": str(jwks(tmp_path / "jwks.json"))}
    async with serving(server, db, **env) as http:
        rsa = await post(http, COUNT, auth(signed(claims(), "RS256", kid="rsa-1")))
        ec = await post(http, COUNT, auth(signed(claims(), "ES256", kid="ec-1")))
        unknown = await post(http, COUNT, auth(signed(claims(), "RS256", kid="gone")))
        swapped = await post(http, COUNT, auth(signed(claims(), "RS256", kid="ec-1")))

    assert rsa.json() == ec.json() == {"data": {"cis": {"totalCount": 0}}}
    assert codes(unknown) == codes(swapped) == ["UNAUTHENTICATED"]


async def test_roles_and_name_come_from_the_configured_claims(server: Server, db: Database) -> None:
    env = {
        **AUTH_ENV,
        "CMDB_JWT_ROLES_CLAIM": "realm_access.roles",
        "CMDB_JWT_NAME_CLAIM": "preferred_username",
    }
    token = signed(
        {
            "sub": "f81d4fae",
            "preferred_username": "carol",
            "realm_access": {"roles": "viewer config_manager offline_access"},
            "exp": int(time.time()) + 600,
        }
    )
    async with serving(server, db, **env) as http:
        created = await post(http, CREATE_CI, auth(token), name="web-1")
        ci = created.json()["data"]["createCI"]["ci"]["id"]
        history = await post(http, WHOAMI_HISTORY, auth(token), id=ci)

    [event] = history.json()["data"]["ci"]["history"]["edges"]
    assert event["node"]["actor"] == "carol"


async def test_a_principal_without_any_known_role_is_forbidden(client: httpx.AsyncClient) -> None:
    response = await post(client, COUNT, auth(signed(claims(roles=["offline_access"]))))

    assert response.json()["data"] is None
    assert codes(response) == ["FORBIDDEN"]


async def test_the_actor_of_a_ci_and_of_an_incident_is_the_principal(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    as_dora = GraphQLClient(client, "unused")
    as_dora.headers = bearer("dora", ["config_manager", "agent"])
    ci = await create_ci(as_dora, "db-1", "DATABASE")
    opened = await as_dora(
        """mutation($ci: ID!) { createIncident(input: {title: "slow", category: APPLICATION,
             impact: 2, urgency: 2, affectedCiIds: [$ci]}) { incident { number } errors { code } } }
        """,
        ci=ci,
    )
    number = opened["createIncident"]["incident"]["number"]

    ci_history = await gql(WHOAMI_HISTORY, id=ci)
    incident = await gql(
        "query($n: String!) { incident(number: $n) { history { edges { node { actor } } } } }",
        n=number,
    )

    assert [e["node"]["actor"] for e in ci_history["ci"]["history"]["edges"]] == ["dora"]
    assert [e["node"]["actor"] for e in incident["incident"]["history"]["edges"]] == ["dora"]


TOKENS = "{ apiTokens { id name roles prefix createdBy revokedAt revokedBy } }"
CREATE_TOKEN = """
mutation($name: String!, $roles: [Role!]!) {
  createApiToken(input: {name: $name, roles: $roles}) {
    token { id name roles createdBy } secret errors { field code }
  }
}
"""
REVOKE_TOKEN = """
mutation($id: ID!) { revokeApiToken(input: {id: $id}) { token { revokedBy } errors { code } } }
"""


async def test_an_api_token_authenticates_until_it_is_revoked(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    created = (await gql(CREATE_TOKEN, name="ci-pipeline", roles=["CONFIG_MANAGER"]))[
        "createApiToken"
    ]
    secret = created["secret"]
    assert created["token"]["createdBy"] == "test-user"
    assert created["token"]["roles"] == ["CONFIG_MANAGER"]

    made = await post(client, CREATE_CI, auth(secret), name="app-1")
    ci = made.json()["data"]["createCI"]["ci"]["id"]
    history = await gql(WHOAMI_HISTORY, id=ci)
    assert history["ci"]["history"]["edges"][0]["node"]["actor"] == "ci-pipeline"

    revoked = await gql(REVOKE_TOKEN, id=created["token"]["id"])
    assert revoked["revokeApiToken"] == {"token": {"revokedBy": "test-user"}, "errors": []}
    refused = await post(client, COUNT, auth(secret))

    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"] == "the API token is unknown or revoked"
    [listed] = (await gql(TOKENS))["apiTokens"]
    assert listed["name"] == "ci-pipeline" and listed["revokedBy"] == "test-user"
    assert secret.startswith(listed["prefix"]) and secret not in str(listed)


async def test_a_duplicate_token_name_is_a_typed_conflict(gql: GraphQLClient) -> None:
    await gql(CREATE_TOKEN, name="bot", roles=["VIEWER"])

    again = (await gql(CREATE_TOKEN, name="bot", roles=["AGENT"]))["createApiToken"]

    assert again == {
        "token": None,
        "secret": None,
        "errors": [{"field": "name", "code": "CONFLICT"}],
    }


async def test_token_metadata_and_token_mutations_are_for_admins_only(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    config_manager = auth(signed(claims(roles=["config_manager"])))

    listed = await post(client, TOKENS, config_manager)
    created = await post(client, CREATE_TOKEN, config_manager, name="x", roles=["ADMIN"])

    assert codes(listed) == codes(created) == ["FORBIDDEN"]
    assert (await gql(TOKENS))["apiTokens"] == []


async def test_anonymous_read_access_allows_queries_but_no_mutation_or_cost_figure(
    server: Server, db: Database
) -> None:
    async with serving(server, db, **AUTH_ENV, CMDB_ANONYMOUS_READ="true") as http:
        before = db.round_trips
        mutation = await post(http, CREATE_CI, name="anon")
        after = db.round_trips
        read = await post(http, COUNT)
        cost = await post(http, "{ costReport { groupBy } }")

    assert read.json() == {"data": {"cis": {"totalCount": 0}}}
    assert codes(mutation) == codes(cost) == ["UNAUTHENTICATED"]
    assert after == before


def test_a_short_jwt_secret_and_an_hs_algorithm_without_a_secret_are_bad_settings() -> None:
    with pytest.raises(SettingsError, match="at least 32 bytes"):
        Settings.from_env({"CMDB_JWT_SECRET": "short"})
    with pytest.raises(SettingsError, match="set CMDB_JWT_SECRET"):
        Settings.from_env({"CMDB_JWT_ALGORITHMS": "HS256"})
    with pytest.raises(SettingsError, match="must be true or false"):
        Settings.from_env({"CMDB_ANONYMOUS_READ": "maybe"})


def test_a_public_key_file_that_is_no_pem_key_stops_start_up(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_text("not a key")
    settings = Settings.from_env({"CMDB_JWT_PUBLIC_KEY_FILE": str(tmp_path / "key.pem")})

    with pytest.raises(SettingsError, match="CMDB_JWT_PUBLIC_KEY_FILE"):
        create_app(settings)
