"""The incidents a change caused, as the API shows them on the change (`Change.causedIncidents`):
the incident's headline and the link's who, when and why. A type of its own, not `Incident`, so
that the change and incident types need not import each other."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph import changes
from graph.domain import IncidentState, Priority
from resolvers._context import Context

__all__ = ["CausedIncident", "caused_incidents"]


@strawberry.type(description="An incident linked as caused by a change (linkIncidentToChange).")
class CausedIncident:
    number: str = strawberry.field(description="Read the whole incident with incident(number).")
    title: str
    priority: Priority
    state: IncidentState
    opened_at: datetime
    linked_at: datetime
    linked_by: str
    note: str | None


def _caused(c: changes.CausedIncident) -> CausedIncident:
    return CausedIncident(
        number=c.number,
        title=c.title,
        priority=c.priority,
        state=c.state,
        opened_at=c.opened_at,
        linked_at=c.linked_at,
        linked_by=c.linked_by,
        note=c.note,
    )


async def caused_incidents(
    info: Info[Context, None], change: changes.Change
) -> list[CausedIncident]:
    """The incidents `change` caused, in number order (one query per request for all changes)."""
    found = await info.context.caused_incidents_loader.load(change.id)
    return [_caused(c) for c in found]
