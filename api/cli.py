"""The `cmdb` command: serve the API, run migrations, manage the embedded Neo4j, load demo data.

The commands live by concern: this module (serving, the schema, the topology delta log),
`api._cli_data` (import, export, the demo), `api._cli_incidents` (incident history),
`api._cli_neo4j` (the embedded Neo4j), `api._cli_tokens` (API tokens), `api._cli_documents`
(persisted documents).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from api._cli_base import console, read_settings, with_db
from api._cli_data import export_file, import_file, seed_demo, seed_if_empty
from api._cli_discover import discover
from api._cli_documents import documents_app
from api._cli_incidents import import_incidents
from api._cli_neo4j import embedded, neo4j_app, start_embedded
from api._cli_tokens import announce_demo_token, token_app
from api._logging import configure_logging
from api.app import create_app
from api.settings import Settings
from graph import Database, MigrationLog, announce_topology_change
from graph.embedded import Supervisor
from graph.errors import GraphError
from migrations import migrate as run_migrations
from migrations import status as migration_status
from resolvers import build_schema

__all__ = ["app", "main"]

app = typer.Typer(help="A graph-native CMDB with a GraphQL API.", no_args_is_help=True)


def _apply_migrations(settings: Settings) -> None:
    applied = with_db(settings, lambda db: run_migrations(db, settings.actor))
    for migration in applied:
        console.print(f"applied V{migration.version} {migration.description}")
    if not applied:
        console.print("migrations: up to date")


def serve(
    migrate: Annotated[bool, typer.Option(help="Apply pending migrations first.")] = True,
    seed_demo: Annotated[
        bool, typer.Option(help="Load the demo CMDB when the graph has no CI.")
    ] = False,
) -> None:
    """Serve the GraphQL API on CMDB_HOST:CMDB_PORT, starting the embedded Neo4j if needed."""
    settings = read_settings()
    configure_logging(settings.log_level, settings.log_format)
    server = embedded(settings) if settings.embedded else None
    started = False
    supervisor: Supervisor | None = None
    if server is not None:
        running = server.status()
        if running is None:
            running = start_embedded(server, watch_parent=True)
            console.print(f"Neo4j ready on {running.uri}")
            started = True
        if settings.neo4j_restart:
            # Started again when it ends unasked (docs/operations.md, "Crash recovery").
            supervisor = Supervisor(server, running)
            supervisor.start()
    try:
        if migrate:
            _apply_migrations(settings)
        if seed_demo:
            seed_if_empty(settings)
            announce_demo_token(settings)
        console.print(f"GraphQL API on http://{settings.host}:{settings.port}/graphql")
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            # Logging is ours (JSON lines with the request id); so is the access log line.
            log_config=None,
            access_log=False,
        )
    finally:
        if supervisor is not None:
            supervisor.stop()
            started = started or supervisor.restarts > 0
        if started and server is not None:
            console.print("stopping Neo4j")
            server.stop()


def migrate(
    show_status: Annotated[
        bool, typer.Option("--status", help="List migrations and whether each is applied.")
    ] = False,
    unlock: Annotated[
        bool, typer.Option(help="Break a lock left by a runner that died; apply nothing.")
    ] = False,
) -> None:
    """Apply pending schema migrations (or show their status)."""
    settings = read_settings()
    if unlock:
        with_db(settings, lambda db: MigrationLog(db).break_lock())
        console.print("migration lock released")
        return
    if not show_status:
        _apply_migrations(settings)
        return
    rows = with_db(settings, migration_status)
    table = Table("version", "description", "state", "installed at", "by")
    for row in rows:
        table.add_row(
            f"V{row.migration.version}",
            row.migration.description,
            "applied" if row.applied else "[yellow]pending[/yellow]",
            row.installed_at or "",
            row.installed_by or "",
        )
    console.print(table)


def schema(
    output: Annotated[
        Path | None, typer.Option(help="Write the SDL to this file instead of printing it.")
    ] = None,
) -> None:
    """Print the GraphQL schema (SDL), the contract that schema.graphql holds."""
    sdl = build_schema().as_str() + "\n"
    if output is None:
        sys.stdout.write(sdl)
        return
    output.write_text(sdl, encoding="utf-8")
    console.print(f"schema written to {output}")


def refresh_topology() -> None:
    """Tell every running API process to reload its topology projection in the background:
    needed only after CIs or dependency edges were changed in Neo4j without the product
    (Cypher run by hand)."""
    settings = read_settings()

    async def announce(db: Database) -> None:
        await announce_topology_change(db, settings.topology_delta_log)

    with_db(settings, announce)
    console.print(
        "topology change announced: every API process reloads its projection in the "
        "background at its next question, answering from the one it has meanwhile"
    )


# Registered in one place, in the order `cmdb --help` lists them.
app.command()(serve)
app.command()(migrate)
app.command("seed-demo")(seed_demo)
app.command("refresh-topology")(refresh_topology)
app.command()(schema)
app.command("import")(import_file)
app.command("export")(export_file)
app.command("import-incidents")(import_incidents)
app.command("discover")(discover)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(token_app, name="token")
app.add_typer(documents_app, name="documents")


def main() -> None:
    try:
        app()
    except GraphError as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(1)
