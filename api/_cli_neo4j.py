"""`cmdb neo4j build|start|stop|status`: the embedded Neo4j of CMDB_DATA_DIR."""

from __future__ import annotations

import typer

from api._cli_base import console, read_settings
from api._neo4j import embedded_for, neo4j_uri

__all__ = ["neo4j_app"]

neo4j_app = typer.Typer(help="The embedded Neo4j (not used when NEO4J_URI is set).")


@neo4j_app.command("build")
def neo4j_build() -> None:
    """Build the embedded Neo4j from Maven artifacts (skipped when already built)."""
    settings = read_settings()
    embedded_for(settings)
    console.print("embedded Neo4j built")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the embedded Neo4j in the background and wait until Bolt answers."""
    settings = read_settings()
    if not settings.embedded:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}); nothing to start")
        return
    running = embedded_for(settings).start()
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the embedded Neo4j of CMDB_DATA_DIR."""
    settings = read_settings()
    stopped = embedded_for(settings).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the embedded Neo4j of CMDB_DATA_DIR runs, and where."""
    settings = read_settings()
    if not settings.embedded:
        console.print(f"external Neo4j: {neo4j_uri(settings)}")
        return
    running = embedded_for(settings).status()
    if running is None:
        console.print(f"Neo4j is not running (data {settings.data_dir})")
        raise typer.Exit(3)
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")
