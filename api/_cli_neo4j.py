"""`cmdb neo4j build|start|stop|status`: the embedded Neo4j of CMDB_DATA_DIR."""

from __future__ import annotations

import typer

from api._cli_base import console, read_settings
from api._neo4j import embedded_for, neo4j_uri
from api.settings import Settings
from graph.embedded import EmbeddedNeo4j, RunningNeo4j

__all__ = ["embedded", "neo4j_app", "start_embedded"]

neo4j_app = typer.Typer(help="The embedded Neo4j (not used when NEO4J_URI is set).")


def _say_building() -> None:
    console.print(
        "building the embedded Neo4j with Maven (the first build downloads Neo4j's jars, "
        "about 150 MB: a few minutes)..."
    )


def embedded(settings: Settings) -> EmbeddedNeo4j:
    """The embedded Neo4j of the settings, built first (saying so) when its sources changed."""
    return embedded_for(settings, on_build=_say_building)


def start_embedded(server: EmbeddedNeo4j, *, watch_parent: bool = False) -> RunningNeo4j:
    """Starts `server` (saying so: the wait is long) and returns once Bolt answers."""
    console.print(
        f"starting Neo4j on 127.0.0.1:{server.port} (data {server.data_dir}; up to a minute)..."
    )
    return server.start(watch_parent=watch_parent)


@neo4j_app.command("build")
def neo4j_build() -> None:
    """Build the embedded Neo4j from Maven artifacts (skipped when already built)."""
    settings = read_settings()
    embedded(settings)
    console.print("embedded Neo4j built")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the embedded Neo4j in the background and wait until Bolt answers."""
    settings = read_settings()
    if not settings.embedded:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}); nothing to start")
        return
    server = embedded(settings)
    running = server.status() or start_embedded(server)
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the embedded Neo4j of CMDB_DATA_DIR."""
    settings = read_settings()
    stopped = embedded(settings).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the embedded Neo4j of CMDB_DATA_DIR runs, and where."""
    settings = read_settings()
    if not settings.embedded:
        console.print(f"external Neo4j: {neo4j_uri(settings)}")
        return
    running = embedded(settings).status()
    if running is None:
        console.print(f"Neo4j is not running (data {settings.data_dir})")
        raise typer.Exit(3)
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")
