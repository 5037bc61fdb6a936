"""Which Neo4j the process uses: the one named by NEO4J_URI, or the embedded one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from api.settings import Settings
from graph import Database, connect
from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home, read_or_create_password

__all__ = [
    "Connection",
    "connection_for",
    "embedded_for",
    "neo4j_uri",
    "open_database",
    "settings_in_use",
]


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str
    database: str


def embedded_for(settings: Settings, on_build: Callable[[], None] | None = None) -> EmbeddedNeo4j:
    """The embedded DBMS of `settings.data_dir` (built first when its sources changed;
    `on_build` is called before a build starts)."""
    java_home = find_java_home(settings.java_home)
    build_launcher(java_home, on_build=on_build)
    return EmbeddedNeo4j(
        data_dir=settings.data_dir,
        port=settings.neo4j_port,
        password=settings.neo4j_password or read_or_create_password(settings.data_dir),
        java_home=java_home,
        page_cache=settings.neo4j_page_cache,
        heap=settings.neo4j_heap,
    )


def neo4j_uri(settings: Settings) -> str:
    """The Bolt URI the process connects to: NEO4J_URI, or the embedded server's."""
    return settings.neo4j_uri or f"bolt://127.0.0.1:{settings.neo4j_port}"


def connection_for(settings: Settings, *, create_password: bool = True) -> Connection:
    """Where and how to connect. For the embedded server without NEO4J_PASSWORD, the password
    of its data folder: made there when missing, unless `create_password` is false (then
    `GraphUnavailable`: no embedded server has started with that folder)."""
    uri = neo4j_uri(settings)
    if settings.neo4j_uri is not None:
        assert settings.neo4j_password is not None
        return Connection(
            uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
        )
    password = settings.neo4j_password or read_or_create_password(
        settings.data_dir, create=create_password
    )
    return Connection(uri, "neo4j", password, "neo4j")


def open_database(
    settings: Settings, *, create_password: bool = True, transaction_timeout: float | None = None
) -> Database:
    """The database of `settings`; `transaction_timeout` (seconds) bounds each transaction
    (the API's time budget; the CLI's long imports run without one)."""
    c = connection_for(settings, create_password=create_password)
    return connect(
        c.uri,
        c.user,
        c.password,
        c.database,
        options={
            "max_connection_pool_size": settings.neo4j_pool_size,
            "connection_acquisition_timeout": settings.neo4j_acquisition_timeout,
        },
        transaction_timeout=transaction_timeout,
        unavailable_after=settings.neo4j_unavailable_seconds,
    )


def settings_in_use(settings: Settings) -> list[tuple[str, str]]:
    """The settings that select the Neo4j, each with its value or what leaving it unset
    means (never a password)."""
    if settings.neo4j_uri is not None:
        return [
            ("NEO4J_URI", settings.neo4j_uri),
            ("NEO4J_USER", settings.neo4j_user),
            ("NEO4J_PASSWORD", "set"),
            ("NEO4J_DATABASE", settings.neo4j_database),
        ]
    password = "set" if settings.neo4j_password else "unset: the one kept in CMDB_DATA_DIR"
    return [
        ("NEO4J_URI", "unset: the embedded Neo4j"),
        ("CMDB_NEO4J_PORT", f"{settings.neo4j_port} (the embedded Neo4j's Bolt port)"),
        (
            "CMDB_DATA_DIR",
            f"{settings.data_dir} (the embedded Neo4j's data folder; default: data/ in the "
            "working directory)",
        ),
        ("NEO4J_PASSWORD", password),
        ("NEO4J_USER, NEO4J_DATABASE", "used only with NEO4J_URI"),
    ]
