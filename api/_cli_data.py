"""`cmdb import`, `cmdb export` and `cmdb seed-demo`: data in and out of the CMDB."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from api._cli_base import console, read_settings, with_db
from api._demo import load_demo_data
from api._demo_changes import ReplayClock
from api._transfer import FileFormat, import_progress, print_result, read_request, write_export
from api._wiring import build_repositories, build_transfer
from api.settings import Settings
from graph import Database
from graph.errors import GraphUnavailable, InvalidInput
from graph.imports import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_EXPORT_SOURCE,
    ExportDocument,
    ImportResult,
    ImportSection,
)

__all__ = ["export_file", "import_file", "seed_demo", "seed_if_empty"]


def seed_if_empty(settings: Settings) -> None:
    """Loads the demo CMDB when the graph has no CI, and says what it did."""

    async def seed(db: Database) -> str:
        clock = ReplayClock()
        repositories = build_repositories(db, settings, clock)
        if not await repositories.cis.is_empty():
            return "demo data: the graph has CIs already; nothing loaded"
        loaded = await load_demo_data(repositories, settings.actor, clock)
        return (
            f"demo data: loaded {loaded.cis} CIs, {loaded.relationships} relationships, "
            f"{loaded.incidents} incidents, {loaded.problems} problems, {loaded.changes} "
            f"changes, {loaded.freezes} freeze, {loaded.releases} release, "
            f"{loaded.service_levels} service levels and {loaded.capacity_readings} capacity "
            "readings"
        )

    console.print(with_db(settings, seed))


def seed_demo() -> None:
    """Load the demo CMDB (a fictional online retailer: a month of its incidents, problems,
    changes, a freeze, a release, service levels and capacity readings) when the graph has no
    CI."""
    seed_if_empty(read_settings())


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
    settings = read_settings()
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

    committed = {ImportSection.CIS: (0, 0), ImportSection.RELATIONSHIPS: (0, 0)}
    """Per section: the rows and batches committed so far (each batch commits whole)."""

    async def run(db: Database) -> ImportResult | GraphUnavailable:
        imports = build_transfer(db, settings).imports
        with import_progress(console, request) as progress:

            def record(section: ImportSection, done: int, total: int) -> None:
                committed[section] = (done, committed[section][1] + 1)
                progress(section, done, total)

            try:
                return await imports.run(request, settings.actor, record, batch_size)
            except GraphUnavailable as error:  # Neo4j went away mid-import
                return error

    result = with_db(settings, run)
    if isinstance(result, GraphUnavailable):
        _stopped(result, committed, len(request.cis), len(request.relationships))
    print_result(console, result, time.perf_counter() - started)
    if result.refused:
        raise typer.Exit(1)


def _stopped(
    error: GraphUnavailable,
    committed: dict[ImportSection, tuple[int, int]],
    cis: int,
    relationships: int,
) -> NoReturn:
    """Says exactly what an import cut off by Neo4j committed, and exits 3."""
    ci_rows, ci_batches = committed[ImportSection.CIS]
    rel_rows, rel_batches = committed[ImportSection.RELATIONSHIPS]
    console.print(
        f"[red]import stopped: {escape(str(error))}[/red]\n"
        f"committed before the failure: {ci_rows} of {cis} CI rows in {ci_batches} batches, "
        f"{rel_rows} of {relationships} relationship rows in {rel_batches} batches (each batch "
        "commits whole; the batch in flight was rolled back). Run the same import again once "
        "Neo4j is back: the rows already written are found unchanged and the rest are written.",
        highlight=False,
    )
    raise typer.Exit(3)


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
    settings = read_settings()
    messages = Console(stderr=True)

    async def run(db: Database) -> ExportDocument:
        return await build_transfer(db, settings).exports.export(source)

    document = with_db(settings, run)
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
