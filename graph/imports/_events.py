"""The history events of an import (docs/concepts.md, "History"): one per created or changed
CI, one per changed relationship, and per batch one per CI listing the relationships the batch
added to it, with who, when (the transaction's time, set by the write) and the values before
and after, in the shape of `graph/_history.py`'s events.

The events of creations are query parameters that the creating query writes with its nodes and
edges (an import creates hundreds of thousands); the events of changes are `NewEvent`s for
`HistoryRepository.record`. A batch's relationship additions are grouped by CI
(`added_edges_by_ci`): one event node and one `HAS_EVENT` edge per CI instead of one node and
two edges per relationship; the history lists each addition as its own entry as before
(`graph/_history.py`, `PAGE_HISTORY`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph._history import NewEvent
from graph.domain import CIClass, FieldChange, changes_as_json, new_event_id
from graph.imports._plan import PlannedCI, PlannedRelationship

__all__ = [
    "OPERATION",
    "added_edges_by_ci",
    "ci_created",
    "ci_updated",
    "edge_added",
    "edge_changed",
]

OPERATION = "importCIs"

_CLASS_NAMES = {ci_class.value: ci_class.name for ci_class in CIClass}


def _event(summary: str, changes: list[tuple[str, Any, Any]]) -> dict[str, Any]:
    return {
        "id": new_event_id(),
        "operation": OPERATION,
        "summary": summary,
        "changes": changes_as_json(changes),
    }


def ci_created(planned: PlannedCI, source: str) -> dict[str, Any]:
    """The event of a CI the import creates: every value it gets (not the `src.*`
    bookkeeping), sorted by field."""
    visible = {key: value for key, value in planned.properties.items() if value is not None}
    if planned.external_ids:
        visible["externalIds"] = list(planned.external_ids)
    changes = [(key, None, visible[key]) for key in sorted(visible)]
    summary = f"{_CLASS_NAMES[planned.label]} {planned.name} created by import from {source}"
    return _event(summary, changes)


def ci_updated(
    planned: PlannedCI, before: Mapping[str, Any], changes: Mapping[str, Any], source: str
) -> NewEvent:
    """The event of an existing CI the import changes: every changed property, `src.*`
    included."""
    summary = f"{_CLASS_NAMES[planned.label]} {before['name']} updated by import from {source}"
    return NewEvent(
        new_event_id(),
        OPERATION,
        summary,
        (planned.ci_id,),
        tuple(FieldChange(key, before.get(key), changes[key]) for key in sorted(changes)),
    )


def _edge_summary(planned: PlannedRelationship, verb: str, source: str) -> str:
    return (
        f"{planned.type.value} {planned.from_name} -> {planned.to_name} {verb} by import"
        f" from {source}"
    )


def edge_added(
    planned: PlannedRelationship, properties: Mapping[str, Any], source: str
) -> tuple[str, str]:
    """The history entry of a relationship the import creates: its summary and its changes
    (every property, from nothing), as JSON; listed on both ends."""
    changes = [(key, None, properties[key]) for key in sorted(properties)]
    return _edge_summary(planned, "added", source), changes_as_json(changes)


def added_edges_by_ci(
    rows: Sequence[Mapping[str, Any]], entries: Sequence[tuple[str, str]], source: str
) -> list[dict[str, Any]]:
    """The batch's relationship events: one per CI at an end of the creation `rows` (query
    rows with `index`, `from`, `to`), listing the entries (`edge_added`) of its rows, each
    with its row index so that the writing query leaves out the rows it did not create."""
    by_ci: dict[str, list[dict[str, Any]]] = {}
    for row, (summary, changes) in zip(rows, entries, strict=True):
        entry = {"row": row["index"], "summary": summary, "changes": changes}
        by_ci.setdefault(row["from"], []).append(entry)
        by_ci.setdefault(row["to"], []).append(entry)
    summary = f"relationships added by import from {source}"
    return [
        {"id": new_event_id(), "ci": ci_id, "summary": summary, "entries": ci_entries}
        for ci_id, ci_entries in by_ci.items()
    ]


def edge_changed(
    planned: PlannedRelationship,
    before: Mapping[str, Any],
    changes: Mapping[str, Any],
    source: str,
) -> NewEvent:
    """The event of a relationship whose properties the import changes."""
    return NewEvent(
        new_event_id(),
        OPERATION,
        _edge_summary(planned, "changed", source),
        (planned.from_id, planned.to_id),
        tuple(FieldChange(key, before.get(key), changes[key]) for key in sorted(changes)),
    )
