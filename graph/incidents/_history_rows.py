"""Incident history from the tool being replaced (docs/incidents-import.md): the rows of an
`importIncidents` request, and the checks every row passes before anything is written.

Pure: the rows come from GraphQL or from a file (`_history_file.py`); the repository that writes
them is `_history_import.py`. A row is an incident as the old tool recorded it: opened at some
time, then moved through states at recorded times. Each transition must be one the product
allows (the old tool may have allowed others: such a row is refused, and says which step).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from graph.domain import (
    TRANSITIONS,
    IncidentCategory,
    IncidentState,
    check_urgency_or_impact,
)
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_HISTORY_ROWS",
    "HistoricalIncident",
    "HistoryRequest",
    "RecordedTransition",
    "check_history",
]

MAX_HISTORY_ROWS = 100_000
"""The most incidents one request may carry: larger histories go in several requests (each
is idempotent, so a split import converges like a whole one)."""

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_EXTERNAL_ID = 200
MAX_AFFECTED = 100


@dataclass(frozen=True)
class RecordedTransition:
    to: IncidentState
    at: datetime
    note: str | None = None
    actor: str | None = None
    """Who moved it in the old tool; the importing actor when not recorded."""


@dataclass(frozen=True)
class HistoricalIncident:
    external_id: str
    title: str
    category: IncidentCategory
    impact: int
    urgency: int
    opened_at: datetime
    affected: tuple[str, ...]
    """CI ids, or external ids the CIs have for the import's source."""
    transitions: tuple[RecordedTransition, ...] = ()
    description: str | None = None
    assignment_group: str | None = None
    assignee: str | None = None
    workaround: str | None = None
    resolution: str | None = None
    causes_outage: bool | None = None
    opened_by: str | None = None
    parse_errors: tuple[FieldError, ...] = field(default=(), compare=False)
    """What was wrong with the row's values as read from a file (reported with the checks)."""

    @property
    def state(self) -> IncidentState:
        """The state the incident is in after its recorded transitions."""
        return self.transitions[-1].to if self.transitions else IncidentState.NEW


@dataclass(frozen=True)
class HistoryRequest:
    source: str
    incidents: Sequence[HistoricalIncident]


def _text_errors(
    where: str, name: str, value: str | None, limit: int, required: bool = False
) -> list[FieldError]:
    if value is None or not value.strip():
        return (
            [FieldError(f"{where}.{name}", f"{name} is required", "REQUIRED")] if required else []
        )
    if len(value) > limit:
        return [
            FieldError(f"{where}.{name}", f"{name} is longer than {limit} characters", "TOO_LONG")
        ]
    return []


def _transition_errors(where: str, row: HistoricalIncident, now: datetime) -> list[FieldError]:
    errors: list[FieldError] = []
    state = IncidentState.NEW
    previous = row.opened_at
    for index, step in enumerate(row.transitions):
        at = f"{where}.transitions[{index}]"
        if step.at.tzinfo is None:
            errors.append(FieldError(f"{at}.at", "give the time with its offset", "INVALID_FORMAT"))
            return errors
        if step.at < previous:
            errors.append(
                FieldError(
                    f"{at}.at",
                    f"{step.at.isoformat()} is before the step before it "
                    f"({previous.isoformat()}); list transitions in time order",
                    "OUT_OF_RANGE",
                )
            )
        elif step.at > now:
            errors.append(
                FieldError(f"{at}.at", "a recorded time cannot be in the future", "OUT_OF_RANGE")
            )
        if step.to not in TRANSITIONS[state]:
            allowed = ", ".join(s.value for s in TRANSITIONS[state]) or "none"
            errors.append(
                FieldError(
                    f"{at}.to",
                    f"an incident cannot go from {state.value} to {step.to.value}; "
                    f"allowed: {allowed}",
                    "INVALID_TRANSITION",
                )
            )
            return errors
        errors += _text_errors(at, "note", step.note, MAX_TEXT)
        state, previous = step.to, step.at
    return errors


def _row_errors(where: str, row: HistoricalIncident, now: datetime) -> list[FieldError]:
    errors = [FieldError(f"{where}.{e.field}", e.message, e.code) for e in row.parse_errors]
    errors += _text_errors(where, "externalId", row.external_id, MAX_EXTERNAL_ID, True)
    errors += _text_errors(where, "title", row.title, MAX_TITLE, True)
    for name, value in (
        ("description", row.description),
        ("assignmentGroup", row.assignment_group),
        ("assignee", row.assignee),
        ("workaround", row.workaround),
        ("resolution", row.resolution),
    ):
        errors += _text_errors(where, name, value, MAX_TEXT)
    unread = {e.field for e in row.parse_errors}
    try:
        check_urgency_or_impact(
            impact=None if "impact" in unread else row.impact,
            urgency=None if "urgency" in unread else row.urgency,
        )
    except InvalidInput as error:
        errors += [FieldError(f"{where}.{e.field}", e.message, e.code) for e in error.errors]
    if not row.affected:
        errors.append(
            FieldError(f"{where}.affectedCiIds", "name at least one affected CI", "REQUIRED")
        )
    elif len(row.affected) > MAX_AFFECTED:
        errors.append(
            FieldError(
                f"{where}.affectedCiIds", f"at most {MAX_AFFECTED} affected CIs", "OUT_OF_RANGE"
            )
        )
    if row.opened_at.tzinfo is None:
        errors.append(
            FieldError(f"{where}.openedAt", "give the time with its offset", "INVALID_FORMAT")
        )
        return errors
    if row.opened_at > now:
        errors.append(
            FieldError(f"{where}.openedAt", "an incident cannot open in the future", "OUT_OF_RANGE")
        )
    return errors + _transition_errors(where, row, now)


def check_history(request: HistoryRequest, now: datetime) -> None:
    """Raises `InvalidInput` listing every problem of every row (field
    `incidents[i].<field>`), so that a file is fixed in one pass; returns when all rows pass.
    External ids must be unique within the request. O(rows + transitions)."""
    errors = _text_errors("input", "source", request.source, MAX_EXTERNAL_ID, True)
    errors = [FieldError("source", e.message, e.code) for e in errors]
    if len(request.incidents) > MAX_HISTORY_ROWS:
        errors.append(
            FieldError(
                "incidents",
                f"at most {MAX_HISTORY_ROWS} incidents per request; split the history",
                "OUT_OF_RANGE",
            )
        )
    first_row: dict[str, int] = {}
    for index, row in enumerate(request.incidents):
        where = f"incidents[{index}]"
        errors += _row_errors(where, row, now)
        seen = first_row.setdefault(row.external_id, index)
        if seen != index:
            errors.append(
                FieldError(
                    f"{where}.externalId",
                    f"incidents[{seen}] has the external id {row.external_id!r} already",
                    "CONFLICT",
                )
            )
    if errors:
        raise InvalidInput(errors)
