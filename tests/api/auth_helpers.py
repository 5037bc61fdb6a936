"""Keys, JWTs and applications for the authentication tests."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api import Settings, create_app
from graph import Database
from tests.conftest import TEST_JWT_SECRET, TestServer

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def jwks(path: Path) -> Path:
    """A JWKS file with the RSA key as `rsa-1` and the EC key as `ec-1`."""
    keys = []
    for kid, algorithm, key in (
        ("rsa-1", jwt.algorithms.RSAAlgorithm, RSA_KEY),
        ("ec-1", jwt.algorithms.ECAlgorithm, EC_KEY),
    ):
        jwk = json.loads(algorithm.to_jwk(key.public_key()))
        keys.append({**jwk, "kid": kid, "use": "sig"})
    path.write_text(json.dumps({"keys": keys}))
    return path


def claims(name: str = "alice", roles: Any = ("viewer",), **more: Any) -> dict[str, Any]:
    return {"sub": name, "roles": list(roles), "exp": int(time.time()) + 600, **more}


def signed(payload: dict[str, Any], algorithm: str = "HS256", kid: str | None = None) -> str:
    key: Any = {"HS256": TEST_JWT_SECRET, "RS256": RSA_KEY, "ES256": EC_KEY}[algorithm]
    headers = {"kid": kid} if kid else None
    return jwt.encode(payload, key, algorithm, headers=headers)


def auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def serving(server: TestServer, db: Database, **env: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client (without credentials) of an application configured by `env`."""
    settings = Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            "CMDB_ALLOWED_HOSTS": "cmdb.test",
            **env,
        }
    )
    application = create_app(settings, db)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://cmdb.test") as http:
            yield http


async def post(
    http: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> httpx.Response:
    body = {"query": query, "variables": variables}
    return await http.post("/graphql", json=body, headers=headers or {})


def codes(response: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json().get("errors", [])]
