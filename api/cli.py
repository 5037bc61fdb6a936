"""The `cmdb` command: serve the API, run migrations, manage the embedded Neo4j, load demo data."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api._neo4j import connection_for, embedded_for, open_database
from api._transfer import FileFormat, import_progress, print_result, read_request, write_export
from api._wiring import build_repositories, build_transfer
from api.app import create_app
from api.settings import Settings, SettingsError
from graph import Database, MigrationLog, announce_topology_change
from graph.errors import GraphError, InvalidInput
from graph.imports import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_EXPORT_SOURCE,
    ExportDocument,
    ImportResult,
    load_demo,
)
from migrations import migrate as run_migrations
from migrations import status as migration_status

__all__ = ["app", "main"]

T = TypeVar("T")

app = typer.Typer(help="A graph-native CMDB with a GraphQL API.", no_args_is_help=True)
neo4j_app = typer.Typer(help="The embedded Neo4j (not used when NEO4J_URI is set).")
app.add_typer(neo4j_app, name="neo4j")
console = Console()


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        console.print(f"[red]Bad setting:[/red] {error}")
        raise typer.Exit(2) from error


def _with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        db = open_database(settings)
        try:
            return await work(db)
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except GraphError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error


def _apply_migrations(settings: Settings) -> None:
    applied = _with_db(settings, lambda db: run_migrations(db, settings.actor))
    for migration in applied:
        console.print(f"applied V{migration.version} {migration.description}")
    if not applied:
        console.print("migrations: up to date")


def _seed_if_empty(settings: Settings) -> None:
    async def seed(db: Database) -> str:
        repositories = build_repositories(db, settings)
        if not await repositories.cis.is_empty():
            return "demo data: the graph has CIs already; nothing loaded"
        cis, relationships = await load_demo(repositories.imports, settings.actor)
        return f"demo data: loaded {cis} CIs and {relationships} relationships"

    console.print(_with_db(settings, seed))


@app.command()
def serve(
    migrate: Annotated[bool, typer.Option(help="Apply pending migrations first.")] = True,
    seed_demo: Annotated[
        bool, typer.Option(help="Load the demo CMDB when the graph has no CI.")
    ] = False,
) -> None:
    """Serve the GraphQL API on CMDB_HOST:CMDB_PORT, starting the embedded Neo4j if needed."""
    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper())
    embedded = embedded_for(settings) if settings.embedded else None
    started = False
    if embedded is not None and embedded.status() is None:
        console.print(f"starting Neo4j on 127.0.0.1:{settings.neo4j_port} ({settings.data_dir})")
        embedded.start(watch_parent=True)
        started = True
    try:
        if migrate:
            _apply_migrations(settings)
        if seed_demo:
            _seed_if_empty(settings)
        console.print(f"GraphQL API on http://{settings.host}:{settings.port}/graphql")
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
        )
    finally:
        if started and embedded is not None:
            console.print("stopping Neo4j")
            embedded.stop()


@app.command()
def migrate(
    show_status: Annotated[
        bool, typer.Option("--status", help="List migrations and whether each is applied.")
    ] = False,
    unlock: Annotated[
        bool, typer.Option(help="Break a lock left by a runner that died; apply nothing.")
    ] = False,
) -> None:
    """Apply pending schema migrations (or show their status)."""
    settings = _settings()
    if unlock:
        _with_db(settings, lambda db: MigrationLog(db).break_lock())
        console.print("migration lock released")
        return
    if not show_status:
        _apply_migrations(settings)
        return
    rows = _with_db(settings, migration_status)
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


@app.command("seed-demo")
def seed_demo() -> None:
    """Load the demo CMDB (a fictional online retailer) when the graph has no CI."""
    _seed_if_empty(_settings())


@app.command("refresh-topology")
def refresh_topology() -> None:
    """Tell every running API process to reload its topology projection: needed only after
    CIs or dependency edges were changed in Neo4j without the product (Cypher run by hand)."""
    _with_db(_settings(), announce_topology_change)
    console.print("topology change announced: the API reloads its projection on next use")


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The rows, the plan and the prepared batches of an import are hundreds of thousands of
    long-lived, acyclic objects: the cyclic garbage collector would walk them again and again
    (about a third of the Python time of a 100,000-CI import) and find nothing; reference
    counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@app.command("import")
def import_file(
    file: Annotated[
        Path | None,
        typer.Argument(help="A JSON import document, or a CIs CSV.", show_default=False),
    ] = None,
    relationships: Annotated[
        Path | None, typer.Option("--relationships", help="A relationships CSV.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="The source; required for CSV, overrides a JSON document's."),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Write the valid rows, report the invalid ones. Default: an invalid row means "
            "nothing is written.",
        ),
    ] = False,
    file_format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="json or csv; default: from the file's extension."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows per write transaction.")
    ] = DEFAULT_BATCH_SIZE,
) -> None:
    """Import CIs and relationships from a JSON or CSV file (formats: docs/import.md)."""
    settings = _settings()
    with _without_cyclic_gc():
        _import(settings, file, relationships, source, skip_invalid, file_format, batch_size)


def _import(
    settings: Settings,
    file: Path | None,
    relationships: Path | None,
    source: str | None,
    skip_invalid: bool,
    file_format: FileFormat | None,
    batch_size: int,
) -> None:
    reading = time.perf_counter()
    try:
        request = read_request(file, relationships, source, skip_invalid, file_format)
    except InvalidInput as error:
        console.print(f"[red]{escape(str(error))}[/red]", highlight=False)
        raise typer.Exit(2) from error
    console.print(
        f"importing {len(request.cis)} CIs and {len(request.relationships)} relationships"
        f" from source '{escape(request.source)}'",
        highlight=False,
    )
    console.print(f"read in {time.perf_counter() - reading:.1f} s")
    started = time.perf_counter()

    async def run(db: Database) -> ImportResult:
        imports = build_transfer(db, settings).imports
        with import_progress(console, request) as progress:
            return await imports.run(request, settings.actor, progress, batch_size)

    result = _with_db(settings, run)
    print_result(console, result, time.perf_counter() - started)
    if result.refused:
        raise typer.Exit(1)


@app.command("export")
def export_file(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write; default: standard output.", show_default=False),
    ] = None,
    relationships: Annotated[
        Path | None, typer.Option("--relationships", help="CSV: where relationships go.")
    ] = None,
    source: Annotated[
        str, typer.Option(help="The source the export speaks for (names CIs by its ids).")
    ] = DEFAULT_EXPORT_SOURCE,
    file_format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="json or csv; default: from the file's extension."),
    ] = None,
) -> None:
    """Write the whole CMDB in the import format (JSON, or two CSV files)."""
    settings = _settings()
    messages = Console(stderr=True)

    async def run(db: Database) -> ExportDocument:
        return await build_transfer(db, settings).exports.export(source)

    document = _with_db(settings, run)
    try:
        outputs = write_export(document, file, relationships, file_format)
    except InvalidInput as error:
        messages.print(f"[red]{escape(str(error))}[/red]", highlight=False)
        raise typer.Exit(2) from error
    for path, text in outputs.items():
        if path is None:
            sys.stdout.write(text)
        else:
            path.write_text(text, encoding="utf-8")
    where = ", ".join(str(path) for path in outputs if path is not None) or "standard output"
    messages.print(
        f"exported {len(document.cis)} CIs and {len(document.relationships)} relationships"
        f" to {where}",
        highlight=False,
    )


@neo4j_app.command("build")
def neo4j_build() -> None:
    """Build the embedded Neo4j from Maven artifacts (skipped when already built)."""
    settings = _settings()
    embedded_for(settings)
    console.print("embedded Neo4j built")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the embedded Neo4j in the background and wait until Bolt answers."""
    settings = _settings()
    if not settings.embedded:
        console.print(f"NEO4J_URI is set ({settings.neo4j_uri}); nothing to start")
        return
    running = embedded_for(settings).start()
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the embedded Neo4j of CMDB_DATA_DIR."""
    settings = _settings()
    stopped = embedded_for(settings).stop()
    console.print("Neo4j stopped" if stopped else "Neo4j was not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the embedded Neo4j of CMDB_DATA_DIR runs, and where."""
    settings = _settings()
    if not settings.embedded:
        console.print(f"external Neo4j: {connection_for(settings).uri}")
        return
    running = embedded_for(settings).status()
    if running is None:
        console.print(f"Neo4j is not running (data {settings.data_dir})")
        raise typer.Exit(3)
    console.print(f"Neo4j running: {running.uri} pid {running.pid} data {running.data_dir}")


def main() -> None:
    try:
        app()
    except GraphError as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(1)
