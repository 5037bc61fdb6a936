"""What every `cmdb` command shares: the console, the settings, a database for one command."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from api._neo4j import open_database
from api.settings import Settings, SettingsError
from graph import Database
from graph.errors import GraphError

__all__ = ["console", "read_settings", "with_db"]

T = TypeVar("T")

console = Console()


def read_settings() -> Settings:
    """The settings of the environment; a bad one ends the command (exit code 2)."""
    try:
        return Settings.from_env()
    except SettingsError as error:
        console.print(f"[red]Bad setting:[/red] {error}")
        raise typer.Exit(2) from error


def with_db(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """Runs `work` over a database opened for it, closed afterwards; a `GraphError` ends the
    command (exit code 1)."""

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
