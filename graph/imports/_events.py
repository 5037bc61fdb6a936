"""The history events of an import (docs/concepts.md, "History"): one per created or changed
CI, one per changed relationship, and per batch one listing the relationships the batch added,
referenced by each CI at their ends, with who, when (the transaction's time, set by the write)
and the values before and after, in the shape of `graph/_history.py`'s events.

The events of creations are query parameters that the creating query writes with its nodes and
edges (an import creates hundreds of thousands); the events of changes are `NewEvent`s for
`HistoryRepository.record`. A batch's relationship additions are one event node holding every
addition once (`added_edges`), and per CI at their ends one `HAS_EVENT` edge naming its
entries: the CI's event of the batch. The history lists each addition as its own entry as
before (`graph/_history.py`, `PAGE_HISTORY`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph._history import NewEvent
from graph.domain import CIClass, FieldChange, changes_as_json, new_event_id
from graph.imports._plan import PlannedCI, PlannedRelationship

__all__ = [
    "OPERATION",
    "added_edges",
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


def added_edges(
    rows: Sequence[Mapping[str, Any]], entries: Sequence[tuple[str, str]], source: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The batch's relationship event and its references: the event lists the entry
    (`edge_added`) of each creation row (query rows with `index`, `from`, `to`; entry `i` is
    the row of index `i`), stored once; each CI at an end of the rows gets a reference listing
    the indexes of its rows, which the writing query links to the event (`HAS_EVENT` with
    `entries`), leaving out the rows it did not create."""
    by_ci: dict[str, list[int]] = {}
    for row in rows:
        by_ci.setdefault(row["from"], []).append(row["index"])
        by_ci.setdefault(row["to"], []).append(row["index"])
    event = {
        "id": new_event_id(),
        "summary": f"relationships added by import from {source}",
        "summaries": [summary for summary, _ in entries],
        "changes": [changes for _, changes in entries],
    }
    return event, [{"ci": ci_id, "rows": indexes} for ci_id, indexes in by_ci.items()]


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
