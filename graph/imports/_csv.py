"""The import format as CSV: a CIs file (one column per field, and per key of the maps:
`attr.<key>`, `externalIds.<source>`, `minOperational.<group>`) and a relationships file, each
with a header row. docs/import.md is the reference."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from graph.errors import FieldError
from graph.imports._format import (
    CI_COLUMNS,
    CSV_PREFIXES,
    MAPS,
    RELATIONSHIP_COLUMNS,
    ci_row,
    file_error,
    relationship_row,
)
from graph.imports._model import ImportCI, ImportRelationship, ImportRequest

__all__ = ["cis_as_csv", "read_csv", "relationships_as_csv"]


def _csv_records(
    text: str, required: Sequence[str]
) -> tuple[list[str], list[tuple[list[str], int]]]:
    reader = csv.reader(io.StringIO(text))
    records: list[tuple[list[str], int]] = []
    try:
        header = [column.strip() for column in next(reader, [])]
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((record, start))
            start = reader.line_num + 1
    except csv.Error as error:
        raise file_error(f"not valid CSV at line {reader.line_num}: {error}") from error
    missing = [column for column in required if column not in header]
    if missing:
        raise file_error(f"the header lacks the column(s) {', '.join(missing)}")
    return header, records


def _ci_values(header: list[str], record: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, cell in zip(header, record, strict=False):
        for prefix, name in CSV_PREFIXES.items():
            if column.startswith(prefix):
                values.setdefault(name, {})[column[len(prefix) :]] = cell
                break
        else:
            values[column] = cell
    return values


def _width_problem(header: list[str], record: list[str]) -> tuple[FieldError, ...]:
    if len(record) == len(header):
        return ()
    message = f"the row has {len(record)} cells, the header {len(header)}"
    return (FieldError("row", message, "INVALID_FORMAT"),)


def read_csv(
    cis_text: str | None,
    relationships_text: str | None,
    source: str,
    skip_invalid: bool = False,
) -> ImportRequest:
    """An import from a CIs CSV and/or a relationships CSV (both with a header row)."""
    cis: list[ImportCI] = []
    if cis_text is not None:
        header, records = _csv_records(cis_text, ("name", "class"))
        unknown = [
            column
            for column in header
            if column not in CI_COLUMNS and not column.startswith(tuple(CSV_PREFIXES))
        ]
        if unknown:
            raise file_error(f"unknown column(s) {', '.join(unknown)}")
        for record, line in records:
            row = ci_row(_ci_values(header, record), line)
            extra = _width_problem(header, record)
            cis.append(replace(row, parse_errors=row.parse_errors + extra) if extra else row)
    relationships: list[ImportRelationship] = []
    if relationships_text is not None:
        header, records = _csv_records(relationships_text, ("from", "to", "type"))
        for record, line in records:
            row_values = dict(zip(header, record, strict=False))
            relationships.append(relationship_row(row_values, line))
    return ImportRequest(source, cis, relationships, skip_invalid)


def _csv_text(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row[column] for column in columns])
    return out.getvalue()


def cis_as_csv(cis: Sequence[Mapping[str, Any]]) -> str:
    """CI rows (in the JSON shape) as the CIs CSV: one column per map key."""
    flat: list[dict[str, Any]] = []
    extra: set[str] = set()
    for row in cis:
        values = {key: value for key, value in row.items() if key not in MAPS}
        for prefix, name in CSV_PREFIXES.items():
            for key, value in (row.get(name) or {}).items():
                values[prefix + key] = value
                extra.add(prefix + key)
        flat.append(values)
    return _csv_text([*CI_COLUMNS, *sorted(extra)], flat)


def relationships_as_csv(relationships: Sequence[Mapping[str, Any]]) -> str:
    return _csv_text(RELATIONSHIP_COLUMNS, relationships)
