"""The change schedule of a period, for a calendar view (docs/changes.md, "Schedule"): the
changes whose planned window shares an instant with it (not cancelled or rejected) and the
freezes of the period, in one read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import LiteralString

from graph._database import Database
from graph.changes._conflicts import blackout_from_row
from graph.changes._cypher import CHANGE_PROJECTION
from graph.changes._model import Change, change_from_row
from graph.domain import BlackoutWindow, ChangeState, check_period

__all__ = ["MAX_SCHEDULED_CHANGES", "ChangeSchedule", "Schedule"]

MAX_SCHEDULED_CHANGES = 500
"""The most changes one schedule lists (the earliest first); `truncated` says when more
matched."""

SCHEDULE: LiteralString = (
    """
CALL () {
    MATCH (c:Change)
    WHERE c.plannedStart < datetime($to) AND c.plannedEnd > datetime($from)
      AND NOT c.state IN $left
    WITH c ORDER BY c.plannedStart, c.number LIMIT $limit
    RETURN collect("""
    + CHANGE_PROJECTION
    + """) AS changes
}
CALL () {
    MATCH (w:BlackoutWindow)
    WHERE w.start < datetime($to) AND w.end > datetime($from)
    WITH w ORDER BY w.start, w.id
    RETURN collect(w {.*, serviceIds: COLLECT { MATCH (w)-[:COVERS]->(s) RETURN s.id }})
        AS freezes
}
RETURN changes, freezes
"""
)


@dataclass(frozen=True)
class Schedule:
    start: datetime
    end: datetime
    changes: tuple[Change, ...]
    """By planned start, then number."""
    freezes: tuple[BlackoutWindow, ...]
    """By start."""
    truncated: bool


class ChangeSchedule:
    """The change schedule of `WindowRepository`."""

    _db: Database

    async def schedule(self, start: datetime, end: datetime) -> Schedule:
        """The changes planned in `[start, end)` (not CANCELLED or REJECTED), at most
        `MAX_SCHEDULED_CHANGES`, and the freezes of the period. Raises `InvalidInput` (from,
        to) for a period that ends before it starts or spans more than 366 days. One round
        trip (their conflicts: `assess`)."""
        start, end = check_period(start, end)
        rows = await self._db.read_rows(
            "changeSchedule",
            SCHEDULE,
            **{"from": start.isoformat()},
            to=end.isoformat(),
            left=[ChangeState.CANCELLED.value, ChangeState.REJECTED.value],
            limit=MAX_SCHEDULED_CHANGES + 1,
        )
        found = [change_from_row(c) for c in rows[0]["changes"]]
        return Schedule(
            start,
            end,
            tuple(found[:MAX_SCHEDULED_CHANGES]),
            tuple(blackout_from_row(f) for f in rows[0]["freezes"]),
            truncated=len(found) > MAX_SCHEDULED_CHANGES,
        )
