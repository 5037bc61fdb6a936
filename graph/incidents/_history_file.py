"""Incident history as files (docs/incidents-import.md): a JSON document
`{"source", "incidents": [...]}` with the fields of `importIncidents`, or an incidents CSV with
an optional transitions CSV (`externalId,to,at,note,actor`: one row per transition, in time
order per incident). A value of the wrong type becomes its row's error, reported with the
checks of `_history_rows.py`; a file that cannot be read at all raises at once."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from graph.domain import IncidentCategory, IncidentState
from graph.errors import FieldError, InvalidInput
from graph.incidents._history_rows import HistoricalIncident, HistoryRequest, RecordedTransition

__all__ = ["INCIDENT_COLUMNS", "TRANSITION_COLUMNS", "read_history_csv", "read_history_json"]

INCIDENT_COLUMNS = (
    "externalId",
    "title",
    "description",
    "category",
    "impact",
    "urgency",
    "affectedCiIds",
    "openedAt",
    "openedBy",
    "assignmentGroup",
    "assignee",
    "causesOutage",
    "workaround",
    "resolution",
)
TRANSITION_COLUMNS = ("externalId", "to", "at", "note", "actor")
_REQUIRED = ("externalId", "title", "category", "impact", "urgency", "affectedCiIds", "openedAt")
AFFECTED_SEPARATOR = ";"
"""How a CSV cell lists several affected CIs."""


def _file_error(message: str) -> InvalidInput:
    return InvalidInput([FieldError("file", message, "INVALID_FORMAT")])


class _Row:
    """Reads one row's values, collecting what is wrong instead of stopping at it."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values
        self.problems: list[FieldError] = []

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.problems.append(FieldError(name, f"{name} must be text", "INVALID_FORMAT"))
        return None

    def whole(self, name: str) -> int:
        value = self.values.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        code = "REQUIRED" if value in (None, "") else "INVALID_FORMAT"
        self.problems.append(FieldError(name, f"{name} must be 1, 2 or 3, got {value!r}", code))
        return 0

    def time(self, name: str, value: Any) -> datetime | None:
        if isinstance(value, str) and value.strip():
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                if moment.tzinfo is not None:
                    return moment
        code = "REQUIRED" if value in (None, "") else "INVALID_FORMAT"
        self.problems.append(
            FieldError(
                name, f"{name} must be an ISO 8601 time with its offset, got {value!r}", code
            )
        )
        return None

    def enum(self, name: str, kind: type[IncidentCategory] | type[IncidentState]) -> Any:
        value = self.values.get(name)
        try:
            return kind(str(value).strip().upper())
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            self.problems.append(
                FieldError(name, f"{name} must be one of {choices}, got {value!r}", "INVALID_VALUE")
            )
            return None

    def flag(self, name: str) -> bool | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        self.problems.append(FieldError(name, f"{name} must be true or false", "INVALID_FORMAT"))
        return None


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def _transition(values: Mapping[str, Any], index: int, row: _Row) -> RecordedTransition | None:
    if not isinstance(values, Mapping):
        row.problems.append(
            FieldError(f"transitions[{index}]", "a transition is an object", "INVALID_FORMAT")
        )
        return None
    step = _Row(values)
    to = step.enum("to", IncidentState)
    at = step.time("at", values.get("at"))
    row.problems += [
        FieldError(f"transitions[{index}].{p.field}", p.message, p.code) for p in step.problems
    ]
    if to is None or at is None:
        return None
    return RecordedTransition(to, at, step.text("note"), step.text("actor"))


def incident_row(
    values: Mapping[str, Any], transitions: list[Mapping[str, Any]] | None = None
) -> HistoricalIncident:
    """One historical incident from a file's fields (or a GraphQL input as plain values)."""
    row = _Row(values)
    row.problems += [
        FieldError(key, f"unknown field '{key}'", "INVALID_VALUE")
        for key in values
        if key not in INCIDENT_COLUMNS and key != "transitions"
    ]
    affected_value = values.get("affectedCiIds")
    if isinstance(affected_value, list):
        affected = tuple(str(item).strip() for item in affected_value if str(item).strip())
    else:
        cell = row.text("affectedCiIds") or ""
        affected = tuple(part.strip() for part in cell.split(AFFECTED_SEPARATOR) if part.strip())
    steps = transitions if transitions is not None else values.get("transitions") or []
    if not isinstance(steps, list):
        row.problems.append(FieldError("transitions", "must be an array", "INVALID_FORMAT"))
        steps = []
    recorded = [_transition(step, i, row) for i, step in enumerate(steps)]
    category = row.enum("category", IncidentCategory)
    opened_at = row.time("openedAt", values.get("openedAt"))
    return HistoricalIncident(
        external_id=row.text("externalId") or "",
        title=row.text("title") or "",
        category=category or IncidentCategory.APPLICATION,
        impact=row.whole("impact"),
        urgency=row.whole("urgency"),
        opened_at=opened_at or _EPOCH,
        affected=affected,
        transitions=tuple(step for step in recorded if step is not None),
        description=row.text("description"),
        assignment_group=row.text("assignmentGroup"),
        assignee=row.text("assignee"),
        workaround=row.text("workaround"),
        resolution=row.text("resolution"),
        causes_outage=row.flag("causesOutage"),
        opened_by=row.text("openedBy"),
        parse_errors=tuple(row.problems),
    )


def read_history_json(text: str, source: str | None = None) -> HistoryRequest:
    """A history from a JSON document; `source` overrides the document's."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _file_error(f"not valid JSON at line {error.lineno}: {error.msg}") from error
    if not isinstance(document, dict):
        raise _file_error('the document must be an object {"source", "incidents"}')
    unknown = sorted(set(document) - {"source", "incidents"})
    if unknown:
        raise _file_error(f"unknown member(s) {', '.join(unknown)}; expected source, incidents")
    items = document.get("incidents", [])
    if not isinstance(items, list) or any(not isinstance(item, dict) for item in items):
        raise _file_error("'incidents' must be an array of objects")
    named = document.get("source")
    if source is None and not isinstance(named, str):
        raise _file_error("the document has no 'source' (or give one)")
    return HistoryRequest(
        source if source is not None else str(named), [incident_row(item) for item in items]
    )


def _records(text: str, name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        rows = [row for row in reader if any((cell or "").strip() for cell in row.values())]
    except csv.Error as error:
        raise _file_error(f"{name}: not valid CSV at line {reader.line_num}: {error}") from error
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in required if column not in header]
    if missing:
        raise _file_error(f"{name}: the header lacks the column(s) {', '.join(missing)}")
    return [{key.strip(): value for key, value in row.items() if key} for row in rows]


def read_history_csv(incidents: str, transitions: str | None, source: str) -> HistoryRequest:
    """A history from an incidents CSV and an optional transitions CSV (each with a header
    row). A transition whose external id names no incident of the file is an error of the
    file."""
    rows = _records(incidents, "incidents", _REQUIRED)
    steps: dict[str, list[Mapping[str, Any]]] = {}
    if transitions is not None:
        for step in _records(transitions, "transitions", ("externalId", "to", "at")):
            key = (step.pop("externalId", "") or "").strip()
            steps.setdefault(key, []).append(step)
    known = {(row.get("externalId") or "").strip() for row in rows}
    orphans = sorted(set(steps) - known)
    if orphans:
        raise _file_error(
            f"transitions: no incident has the external id(s) {', '.join(orphans[:5])}"
        )
    return HistoryRequest(
        source,
        [
            incident_row(row, list(steps.get((row.get("externalId") or "").strip(), [])))
            for row in rows
        ],
    )
