"""The test session's Neo4j: its own embedded server on a free port with a throw-away data
folder (or the server named by NEO4J_URI), migrated once; the graph is emptied before each test."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette

from api import Settings, create_app
from graph import Database, connect
from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home, free_port
from migrations import migrate

TEST_PASSWORD = "test-session-password"
TEST_JWT_SECRET = "test-session-jwt-secret-of-32-bytes-or-more"
TEST_HOST = "cmdb.test"
"""The host name the test clients send (`http://cmdb.test`)."""
AUTH_ENV = {"CMDB_JWT_SECRET": TEST_JWT_SECRET, "CMDB_ALLOWED_HOSTS": TEST_HOST}
"""What every test application's settings add: HS256 JWTs signed with the test secret, and
the test clients' host among the allowed ones."""
TEST_USER = "test-user"


def bearer(name: str = TEST_USER, roles: Sequence[str] = ("admin",)) -> dict[str, str]:
    """The Authorization header of a JWT for `name` with `roles` (an admin by default),
    valid for an hour by the system clock."""
    claims = {"sub": name, "roles": list(roles), "exp": int(time.time()) + 3600}
    return {"authorization": f"Bearer {jwt.encode(claims, TEST_JWT_SECRET, 'HS256')}"}


@dataclass(frozen=True)
class TestServer:
    uri: str
    user: str
    password: str
    database: str
    description: str
    embedded: EmbeddedNeo4j | None = None
    data_dir: Path | None = None


_server: TestServer | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _server
    if hasattr(config, "workerinput"):
        return
    uri = os.environ.get("NEO4J_URI")
    if uri:
        _server = TestServer(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ["NEO4J_PASSWORD"],
            os.environ.get("NEO4J_DATABASE", "neo4j"),
            f"external server {uri} (NEO4J_URI)",
        )
        return
    java_home = find_java_home(os.environ.get("CMDB_JAVA_HOME"))
    build_launcher(java_home)
    data_dir = Path(tempfile.mkdtemp(prefix="cmdb-test-neo4j-"))
    embedded = EmbeddedNeo4j(
        data_dir=data_dir,
        port=free_port(),
        password=TEST_PASSWORD,
        java_home=java_home,
        page_cache="256m",
        heap="1g",
    )
    running = embedded.start(watch_parent=True)
    _server = TestServer(
        running.uri,
        "neo4j",
        TEST_PASSWORD,
        "neo4j",
        f"embedded server started by this run: {running.uri}, pid {running.pid}, "
        f"throw-away data {data_dir}",
        embedded,
        data_dir,
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"neo4j: {_server.description if _server else 'none'}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _server is not None and _server.embedded is not None:
        _server.embedded.stop()
        if _server.data_dir is not None:
            shutil.rmtree(_server.data_dir, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _server is not None:
        terminalreporter.write_line(f"neo4j: tests ran against the {_server.description}")


@pytest.fixture(scope="session")
def server() -> TestServer:
    assert _server is not None
    return _server


@pytest.fixture(scope="session")
async def db(server: TestServer) -> AsyncIterator[Database]:
    database = connect(server.uri, server.user, server.password, server.database)
    await migrate(database, "pytest")
    yield database
    await database.close()


CLEAR_GRAPH = """
MATCH (n) WHERE NOT n:__Neo4jMigration AND NOT n:__Neo4jMigrationLock
DETACH DELETE n
"""


@pytest.fixture(autouse=True)
async def empty_graph(db: Database) -> None:
    """Every test starts from an empty graph on the session's server (schema kept)."""
    await db.write_rows("test.clear", CLEAR_GRAPH)


@pytest.fixture(scope="session")
def settings(server: TestServer) -> Settings:
    return Settings.from_env(
        {
            "NEO4J_URI": server.uri,
            "NEO4J_PASSWORD": server.password,
            "NEO4J_DATABASE": server.database,
            "CMDB_ACTOR": TEST_USER,
            **AUTH_ENV,
        }
    )


@pytest.fixture(scope="session")
async def app(settings: Settings, db: Database) -> AsyncIterator[Starlette]:
    application = create_app(settings, db)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://cmdb.test", headers=bearer()
    ) as http:
        yield http


class GraphQLClient:
    """Sends operations as `name`, an admin, unless `http` sends credentials of its own."""

    def __init__(self, http: httpx.AsyncClient, name: str = TEST_USER) -> None:
        self.http = http
        self.headers = {} if "authorization" in http.headers else bearer(name)

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        """The `data` of a successful operation; fails the test on any GraphQL error."""
        body = await self.raw(query, **variables)
        assert "errors" not in body, body.get("errors")
        data: dict[str, Any] = body["data"]
        return data

    async def raw(self, query: str, **variables: Any) -> dict[str, Any]:
        body = {"query": query, "variables": variables}
        response = await self.http.post("/graphql", json=body, headers=self.headers)
        result: dict[str, Any] = response.json()
        return result


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
