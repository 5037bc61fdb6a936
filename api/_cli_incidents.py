"""`cmdb import-incidents`: incident history from the tool being replaced, from a JSON document
or an incidents CSV with a transitions CSV (formats: docs/incidents-import.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api._cli_base import console, read_settings, with_db
from api._transfer import FileFormat
from api._wiring import build_repositories
from graph import Database
from graph.errors import FieldError, InvalidInput
from graph.incidents import (
    HistoryImportResult,
    HistoryRequest,
    read_history_csv,
    read_history_json,
)

__all__ = ["import_incidents"]

MAX_ERRORS_SHOWN = 50


def _text(path: Path) -> str:
    try:
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(
            [FieldError("file", f"cannot read {path}: {error}", "INVALID_VALUE")]
        ) from error


def _request(
    file: Path, transitions: Path | None, source: str | None, file_format: FileFormat | None
) -> HistoryRequest:
    as_csv = file_format is FileFormat.CSV or (
        file_format is None and file.suffix.lower() == ".csv"
    )
    if not as_csv:
        if transitions is not None:
            raise InvalidInput(
                [FieldError("file", "--transitions goes with an incidents CSV", "INVALID_VALUE")]
            )
        return read_history_json(_text(file), source)
    if source is None:
        raise InvalidInput([FieldError("file", "a CSV history needs --source", "REQUIRED")])
    return read_history_csv(
        _text(file), _text(transitions) if transitions is not None else None, source
    )


def _show(errors: list[FieldError]) -> None:
    for error in errors[:MAX_ERRORS_SHOWN]:
        console.print(
            f"[red]{escape(error.field)}[/red]: {escape(error.message)} ({error.code})",
            highlight=False,
        )
    if len(errors) > MAX_ERRORS_SHOWN:
        console.print(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors")


def import_incidents(
    file: Annotated[
        Path, typer.Argument(help="A JSON history, or an incidents CSV.", show_default=False)
    ],
    transitions: Annotated[
        Path | None,
        typer.Option("--transitions", help="A transitions CSV (with an incidents CSV)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="The tool the history comes from; required for CSV, overrides a JSON document's."
        ),
    ] = None,
    ci_source: Annotated[
        str | None,
        typer.Option(
            "--ci-source",
            help="The source whose external ids name the affected CIs; default: --source.",
        ),
    ] = None,
    file_format: Annotated[
        FileFormat | None,
        typer.Option("--format", help="json or csv; default: from the file's extension."),
    ] = None,
) -> None:
    """Import incidents with their history (opened time, transitions) from the tool being
    replaced: checked whole first, idempotent per source and external id."""
    settings = read_settings()
    try:
        request = _request(file, transitions, source, file_format)
    except InvalidInput as error:
        _show(error.errors)
        raise typer.Exit(2) from error
    console.print(
        f"importing {len(request.incidents)} incidents from source '{escape(request.source)}'",
        highlight=False,
    )
    started = time.perf_counter()

    async def run(db: Database) -> HistoryImportResult | list[FieldError]:
        incidents = build_repositories(db, settings).incidents
        try:
            return await incidents.import_history(request, settings.actor, ci_source=ci_source)
        except InvalidInput as error:
            return error.errors

    outcome = with_db(settings, run)
    if isinstance(outcome, list):
        _show(outcome)
        console.print(f"[red]nothing written[/red]: {len(outcome)} errors; fix them and run again")
        raise typer.Exit(1)
    console.print(
        f"created {outcome.created} incidents, {outcome.unchanged} imported before "
        f"(left as they are), in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
