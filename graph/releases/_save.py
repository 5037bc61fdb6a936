"""The one save of a release, and the audit event of a write, shared by every write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from graph._history import NewEvent
from graph.domain import FieldChange, ReleaseState, new_event_id
from graph.releases._cypher import CREATE_RELEASE, SAVE_RELEASE
from graph.releases._locks import Request
from graph.releases._model import Release, release_from_row

__all__ = ["Step", "release_event", "save"]

Step = tuple[ReleaseState | None, ReleaseState, str | None]
"""A transition to record: from, to, note."""


def _value(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


async def save(
    r: Request,
    release_id: str,
    properties: dict[str, Any],
    *,
    create: bool = False,
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
    deployed: Sequence[str] | None = None,
    sync_deployed: bool = False,
    steps: Sequence[Step] = (),
    first_seq: int = 1,
) -> Release:
    """Writes the release's `properties` (None removes one; enums by value, times as they
    are), links the `added` and unlinks the `removed` change ids, sets the deployed CIs again
    when `sync_deployed` (the `deployed` ids when the release names its own, else the union of
    its changes' targets), records `steps`, and returns the release as it is now. `create`
    makes the node. One round trip."""
    transitions = [
        {
            "seq": first_seq + n,
            "from": s[0].value if s[0] else None,
            "to": s[1].value,
            "at": r.now,
            "actor": r.actor,
            "note": s[2],
        }
        for n, s in enumerate(steps)
    ]
    rows = await r.db.query(
        r.tx,
        CREATE_RELEASE if create else SAVE_RELEASE,
        id=release_id,
        properties={k: _value(v) for k, v in properties.items()},
        now=r.now,
        actor=r.actor,
        added=list(added),
        removed=list(removed),
        deployed=list(deployed or ()),
        syncDeployed=sync_deployed,
        transitions=transitions,
    )
    return release_from_row(rows[0]["release"])


def release_event(
    r: Request,
    operation: str,
    summary: str,
    changes: Sequence[FieldChange],
    record_ids: Sequence[str],
    at: datetime | None = None,
) -> NewEvent:
    """The audit event of a write, on the release and the changes among `record_ids`."""
    return NewEvent(
        new_event_id(),
        operation,
        summary,
        (),
        tuple(changes),
        record_ids=tuple(record_ids),
        at=at or r.now,
    )
