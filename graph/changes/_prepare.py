"""What a change is before it is written: the checks of its input. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.domain import ChangeType
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_LONG_TEXT",
    "MAX_SHORT_TEXT",
    "MAX_TARGETS",
    "MAX_TITLE",
    "NewChange",
    "check_long_texts",
    "check_targets",
    "check_window",
    "stored_texts",
    "validate_new_change",
]

MAX_TITLE = 200
MAX_SHORT_TEXT = 200
"""Assignee, assignment group."""
MAX_LONG_TEXT = 10_000
"""Description, plans, notes and comments."""
MAX_TARGETS = 100

_SHORT = ("title", "assignee", "assignmentGroup")


@dataclass(frozen=True)
class NewChange:
    """A change as the caller describes it, unchecked."""

    title: str | None
    change_type: ChangeType
    target_ci_ids: Sequence[str]
    description: str | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    assignee: str | None = None
    assignment_group: str | None = None
    implementation_plan: str | None = None
    backout_plan: str | None = None
    test_plan: str | None = None

    def texts(self) -> dict[str, str | None]:
        """The text fields by their API names."""
        return {
            "title": self.title,
            "description": self.description,
            "assignee": self.assignee,
            "assignmentGroup": self.assignment_group,
            "implementationPlan": self.implementation_plan,
            "backoutPlan": self.backout_plan,
            "testPlan": self.test_plan,
        }


def check_long_texts(values: dict[str, str | None]) -> list[FieldError]:
    """The errors of the text fields in `values` (API names) that are too long."""
    errors = []
    for name, value in values.items():
        limit = MAX_SHORT_TEXT if name in _SHORT else MAX_LONG_TEXT
        if value is not None and len(value) > limit:
            message = f"at most {limit} characters, got {len(value)}"
            errors.append(FieldError(name, message, "TOO_LONG"))
    return errors


def check_targets(
    ids: Sequence[str], field_name: str = "targetCiIds"
) -> tuple[tuple[str, ...], list[FieldError]]:
    """The target ids without repeats, in order, and the errors (none, too many)."""
    unique = tuple(dict.fromkeys(i.strip() for i in ids if i.strip()))
    if not unique:
        return (), [FieldError(field_name, "name at least one target CI", "REQUIRED")]
    if len(unique) > MAX_TARGETS:
        message = f"at most {MAX_TARGETS} target CIs, got {len(unique)}"
        return unique, [FieldError(field_name, message, "OUT_OF_RANGE")]
    return unique, []


def check_window(start: datetime | None, end: datetime | None) -> list[FieldError]:
    """The errors of a planned window: both or neither, timezone-aware, end after start."""
    errors = []
    for name, moment in (("plannedStart", start), ("plannedEnd", end)):
        if moment is not None and moment.tzinfo is None:
            message = "give a time zone (e.g. Z or +01:00)"
            errors.append(FieldError(name, message, "INVALID_FORMAT"))
    if errors:
        return errors
    if (start is None) != (end is None):
        missing = "plannedEnd" if end is None else "plannedStart"
        message = "give both ends of the planned window, or neither"
        return [FieldError(missing, message, "REQUIRED")]
    if start is not None and end is not None and end <= start:
        return [
            FieldError("plannedEnd", "the planned end must be after its start", "INVALID_VALUE")
        ]
    return []


def validate_new_change(new: NewChange) -> tuple[str, ...]:
    """Raises `InvalidInput` with every error of `new`'s own values; returns the target ids
    without repeats. Whether the CIs exist is the write's to check."""
    errors: list[FieldError] = []
    if new.title is None or not new.title.strip():
        errors.append(FieldError("title", "a title is required", "REQUIRED"))
    errors += check_long_texts(new.texts())
    targets, target_errors = check_targets(new.target_ci_ids)
    errors += target_errors
    errors += check_window(new.planned_start, new.planned_end)
    if errors:
        raise InvalidInput(errors)
    return targets


def stored_texts(new: NewChange) -> dict[str, Any]:
    """The stored text properties of `new` (title stripped)."""
    return {
        "title": (new.title or "").strip(),
        "description": new.description,
        "assignee": new.assignee,
        "assignmentGroup": new.assignment_group,
        "implementationPlan": new.implementation_plan,
        "backoutPlan": new.backout_plan,
        "testPlan": new.test_plan,
    }
