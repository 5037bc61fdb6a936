"""Which Neo4j the process uses: the one named by NEO4J_URI, or the embedded one."""

from __future__ import annotations

from dataclasses import dataclass

from api.settings import Settings
from graph import Database, connect
from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home, read_or_create_password

__all__ = ["Connection", "connection_for", "embedded_for", "open_database"]


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str
    database: str


def embedded_for(settings: Settings) -> EmbeddedNeo4j:
    """The embedded DBMS of `settings.data_dir` (built first when its sources changed)."""
    java_home = find_java_home(settings.java_home)
    build_launcher(java_home)
    return EmbeddedNeo4j(
        data_dir=settings.data_dir,
        port=settings.neo4j_port,
        password=settings.neo4j_password or read_or_create_password(settings.data_dir),
        java_home=java_home,
        page_cache=settings.neo4j_page_cache,
        heap=settings.neo4j_heap,
    )


def connection_for(settings: Settings) -> Connection:
    if settings.neo4j_uri is not None:
        assert settings.neo4j_password is not None
        return Connection(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
        )
    password = settings.neo4j_password or read_or_create_password(settings.data_dir)
    return Connection(f"bolt://127.0.0.1:{settings.neo4j_port}", "neo4j", password, "neo4j")


def open_database(settings: Settings) -> Database:
    c = connection_for(settings)
    return connect(
        c.uri,
        c.user,
        c.password,
        c.database,
        options={"max_connection_pool_size": 50},
    )
