"""The audit trail's words: a change of one field, an event as read back, and the diff that
finds what a write changed. Pure: the repository that stores them is `graph/_history.py`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = [
    "MAX_LISTED_IDS",
    "AuditEvent",
    "FieldChange",
    "changes_as_json",
    "diff",
    "new_event_id",
    "services_diff",
]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def new_event_id() -> str:
    """A fresh event id."""
    return str(uuid.uuid4())


# One encoder for every event: `json.dumps` with options builds a new one per call.
_JSON = json.JSONEncoder(default=str)


def changes_as_json(changes: Iterable[tuple[str, Any, Any]]) -> str:
    """How an event stores its changes, given as (field, before, after)."""
    return _JSON.encode(
        [{"field": field, "before": before, "after": after} for field, before, after in changes]
    )


@dataclass(frozen=True)
class AuditEvent:
    id: str
    at: datetime
    actor: str
    operation: str
    summary: str
    changes: tuple[FieldChange, ...]
    position: tuple[str, str]
    """Where a page after this event starts: its exact time as text, and its id."""


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose value differs, sorted by name (absent and None are the same)."""
    keys = sorted(set(before) | set(after))
    return tuple(
        FieldChange(key, before.get(key), after.get(key))
        for key in keys
        if before.get(key) != after.get(key)
    )


MAX_LISTED_IDS = 20
"""How many ids an event lists of a set that changed (`services_diff`); the counts say the rest."""


def services_diff(
    name: str, before: Iterable[str], after: Iterable[str]
) -> tuple[FieldChange, ...]:
    """The change of a large set of ids (the services an impact analysis reached: thousands
    under a shared database) as an event records it: the counts before and after, and the first
    `MAX_LISTED_IDS` ids added and removed (by id), with how many there are. Empty when the
    set did not change."""
    old, new = set(before), set(after)
    if old == new:
        return ()
    added, removed = sorted(new - old), sorted(old - new)
    return (
        FieldChange(
            name,
            {"count": len(old)},
            {
                "count": len(new),
                "addedCount": len(added),
                "added": added[:MAX_LISTED_IDS],
                "removedCount": len(removed),
                "removed": removed[:MAX_LISTED_IDS],
            },
        ),
    )
