"""`cmdb import` and `cmdb export`: files in, files out, a progress bar and a summary.

The formats themselves live in `graph` (docs/import.md); this module reads and writes the
files and talks to the terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.errors import FieldError, InvalidInput
from graph.imports import (
    ExportDocument,
    ImportProgress,
    ImportRequest,
    ImportResult,
    ImportSection,
    cis_as_csv,
    document_as_json,
    read_csv,
    read_json,
    relationships_as_csv,
)

__all__ = ["FileFormat", "import_progress", "print_result", "read_request", "write_export"]

MAX_ERRORS_SHOWN = 50


class FileFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


def _format_of(path: Path | None, given: FileFormat | None) -> FileFormat:
    if given is not None:
        return given
    return FileFormat.CSV if path is not None and path.suffix.lower() == ".csv" else FileFormat.JSON


def _usage(message: str) -> InvalidInput:
    return InvalidInput([FieldError("file", message, "INVALID_VALUE")])


def _read(path: Path) -> str:
    try:
        # utf-8-sig: spreadsheets save CSV with a byte-order mark.
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise _usage(f"cannot read {path}: {error}") from error


def read_request(
    file: Path | None,
    relationships: Path | None,
    source: str | None,
    skip_invalid: bool,
    file_format: FileFormat | None,
) -> ImportRequest:
    """The import the files describe; `InvalidInput` (field `file`) when they cannot be read."""
    kind = _format_of(file or relationships, file_format)
    if kind is FileFormat.JSON:
        if file is None or relationships is not None:
            raise _usage("a JSON import is one file holding CIs and relationships")
        return read_json(_read(file), source, skip_invalid)
    if file is None and relationships is None:
        raise _usage("give a CIs CSV, a relationships CSV (--relationships), or both")
    if not source:
        raise _usage("a CSV import needs --source")
    return read_csv(
        _read(file) if file else None,
        _read(relationships) if relationships else None,
        source,
        skip_invalid,
    )


@contextmanager
def import_progress(console: Console, request: ImportRequest) -> Iterator[ImportProgress]:
    """A progress bar per section while the import writes; yields the import's callback."""
    columns = (
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks = {
            ImportSection.CIS: progress.add_task("CIs", total=len(request.cis)),
            ImportSection.RELATIONSHIPS: progress.add_task(
                "relationships", total=len(request.relationships)
            ),
        }

        def advance(section: ImportSection, done: int, total: int) -> None:
            progress.update(tasks[section], completed=done, total=total)

        yield advance


def print_result(console: Console, result: ImportResult, seconds: float) -> None:
    table = Table("", "created", "updated", "unchanged / confirmed", "failed")
    table.add_row(
        "CIs", str(result.created), str(result.updated), str(result.unchanged), str(result.failed)
    )
    table.add_row(
        "relationships",
        str(result.relationships_created),
        str(result.relationships_updated),
        str(result.relationships_confirmed),
        str(result.relationships_failed),
    )
    console.print(table)
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        console.print(
            f"[red]{escape(error.where)}[/red] {escape(error.field)}: {escape(error.message)}"
            f" ({error.code})",
            highlight=False,
        )
    if len(result.errors) > MAX_ERRORS_SHOWN:
        console.print(f"... and {len(result.errors) - MAX_ERRORS_SHOWN} more invalid rows")
    if result.refused:
        console.print(
            f"[red]nothing written[/red]: {result.failed + result.relationships_failed} invalid"
            " rows; fix them, or import the valid rows with --skip-invalid"
        )
    else:
        console.print(f"imported in {seconds:.1f} s")


def write_export(
    document: ExportDocument,
    file: Path | None,
    relationships: Path | None,
    file_format: FileFormat | None,
) -> dict[Path | None, str]:
    """The text of each output (None: standard output), in the format asked."""
    if _format_of(file, file_format) is FileFormat.JSON:
        if relationships is not None:
            raise _usage("a JSON export is one file; --relationships is for CSV")
        return {file: document_as_json(document.as_dict())}
    if file is None or relationships is None:
        raise _usage("a CSV export needs a CIs file and --relationships FILE")
    return {
        file: cis_as_csv(document.cis),
        relationships: relationships_as_csv(document.relationships),
    }
