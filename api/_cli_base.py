"""What every `cmdb` command shares: the console, the settings, a database for one command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from api._neo4j import neo4j_uri, open_database, settings_in_use
from api.settings import Settings, SettingsError
from graph import Database
from graph.errors import GraphError, GraphUnavailable

__all__ = ["console", "read_settings", "with_db"]

T = TypeVar("T")

console = Console()
# Messages about the command itself, apart from what it writes to standard output.
messages = Console(stderr=True)


def read_settings() -> Settings:
    """The settings of the environment; a bad one ends the command (exit code 2)."""
    try:
        return Settings.from_env()
    except SettingsError as error:
        console.print(f"[red]Bad setting:[/red] {error}")
        raise typer.Exit(2) from error


def _explain_unreachable(settings: Settings, error: GraphUnavailable) -> None:
    messages.print(f"[red]Cannot connect to Neo4j at {neo4j_uri(settings)}[/red]", highlight=False)
    # The driver's reason spans lines; one paragraph reads better under the headline.
    messages.print(f"  {escape(' '.join(str(error).split()))}", highlight=False)
    messages.print("The settings that select it:", highlight=False)
    rows = settings_in_use(settings)
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        messages.print(f"  {name:<{width}}  {escape(value)}", highlight=False)
    if settings.embedded:
        hint = (
            "Start the embedded Neo4j with `make run` (or `cmdb neo4j start`) and run this "
            "command with the same settings, or set NEO4J_URI and NEO4J_PASSWORD to name a "
            "running server."
        )
    else:
        hint = (
            "Start that server (or correct the settings above), or unset NEO4J_URI to use the "
            "embedded Neo4j, which `make run` (or `cmdb neo4j start`) starts."
        )
    messages.print(hint, highlight=False)


def with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Runs `work` over a database opened for it, closed afterwards. The server is asked
    first (one round trip, no retries) so that a missing one is reported at once; a missing
    embedded password is not created. A `GraphError` ends the command (exit code 1),
    `GraphUnavailable` with where it looked and the settings that chose that."""

    async def run() -> T:
        db = open_database(settings, create_password=False)
        try:
            await db.ping()
            return await work(db)
        finally:
            await db.close()

    try:
        return asyncio.run(run())
    except GraphUnavailable as error:
        _explain_unreachable(settings, error)
        raise typer.Exit(1) from error
    except GraphError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
