"""Freeze (blackout) windows and the maintenance windows of CIs (docs/changes.md, "Windows"):
`(w:BlackoutWindow)-[:COVERS]->(:BusinessService|TechnicalService)` (a freeze covering no
service is global) and `(ci:CI)-[:HAS_MAINTENANCE_WINDOW]->(:MaintenanceWindow)`, one per CI.
The conflict and risk reads of changes (`_conflicts.py`, `_risk.py`) and the change schedule
(`_schedule.py`) join this repository."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph._clock import Clock
from graph._database import Database
from graph._history import HistoryRepository, NewEvent
from graph._writes import Writes, Written, lock
from graph.changes._conflicts import blackout_from_row, maintenance_from_row
from graph.changes._risk import ChangeAssessor
from graph.changes._schedule import ChangeSchedule
from graph.domain import (
    BlackoutWindow,
    FieldChange,
    MaintenanceWindow,
    check_blackout,
    check_period,
    new_event_id,
    parse_maintenance_window,
)
from graph.errors import FieldError, InvalidInput, NotFound

__all__ = ["WindowRepository"]

FIND_SERVICES: LiteralString = """
UNWIND range(0, size($ids) - 1) AS at
OPTIONAL MATCH (s:CI {id: $ids[at]})
RETURN at, $ids[at] AS id, s IS NOT NULL AS found,
       coalesce(s:BusinessService OR s:TechnicalService, false) AS isService
"""

CREATE_BLACKOUT: LiteralString = """
CREATE (w:BlackoutWindow {id: $id, name: $name, start: datetime($start), end: datetime($end),
    reason: $reason, createdAt: datetime($now), createdBy: $actor})
WITH w
CALL (w) {
    UNWIND $serviceIds AS serviceId
    MATCH (s:CI {id: serviceId})
    CREATE (w)-[:COVERS]->(s)
}
RETURN w {.*, serviceIds: COLLECT { MATCH (w)-[:COVERS]->(s) RETURN s.id ORDER BY s.id }}
    AS window
"""

LOCK_BLACKOUT: LiteralString = (
    "MATCH (w:BlackoutWindow {id: $id}) "
    + lock("w")
    + """
RETURN w {.*, serviceIds: COLLECT { MATCH (w)-[:COVERS]->(s) RETURN s.id ORDER BY s.id }}
    AS window"""
)

DELETE_BLACKOUT: LiteralString = "MATCH (w:BlackoutWindow {id: $id}) DETACH DELETE w"

BLACKOUTS_BETWEEN: LiteralString = """
MATCH (w:BlackoutWindow)
WHERE w.start < datetime($to) AND w.end > datetime($from)
RETURN w {.*, serviceIds: COLLECT { MATCH (w)-[:COVERS]->(s) RETURN s.id ORDER BY s.id }}
    AS window
ORDER BY w.start, w.id
"""

# The CI's lock is taken before its window is read: a second writer waits, then finds (and
# MERGE matches) the window the first one made, so a CI never has two.
SET_MAINTENANCE: LiteralString = (
    "MATCH (c:CI {id: $ciId}) "
    + lock("c")
    + """
WITH c
OPTIONAL MATCH (c)-[:HAS_MAINTENANCE_WINDOW]->(old:MaintenanceWindow)
WITH c, old {.days, .opens, .closes, .timezone} AS before
MERGE (c)-[:HAS_MAINTENANCE_WINDOW]->(m:MaintenanceWindow)
ON CREATE SET m.id = $id
SET m.days = $days, m.opens = $opens, m.closes = $closes, m.timezone = $timezone
RETURN before, m {.*, ciId: c.id} AS window
"""
)

CLEAR_MAINTENANCE: LiteralString = (
    "MATCH (c:CI {id: $ciId}) "
    + lock("c")
    + """
WITH c
OPTIONAL MATCH (c)-[:HAS_MAINTENANCE_WINDOW]->(m:MaintenanceWindow)
WITH c, m, m {.*, ciId: c.id} AS window
DETACH DELETE m
RETURN window
"""
)

MAINTENANCE_OF: LiteralString = """
UNWIND $ciIds AS ciId
MATCH (c:CI {id: ciId})-[:HAS_MAINTENANCE_WINDOW]->(m:MaintenanceWindow)
RETURN m {.*, ciId: c.id} AS window
"""


def _window_text(p: dict[str, Any] | None) -> str | None:
    if not p:
        return None
    return f"{p['days']} {p['opens']}-{p['closes']} {p['timezone']}"


class WindowRepository(ChangeAssessor, ChangeSchedule):
    """Freezes and maintenance windows; what changes clash with and risk (`_conflicts.py`,
    `_risk.py`), the change schedule of a period (`_schedule.py`)."""

    def __init__(
        self, db: Database, history: HistoryRepository, writes: Writes, clock: Clock
    ) -> None:
        self._db = db
        self._history = history
        self._writes = writes
        self._clock = clock

    async def create_blackout(
        self,
        name: str,
        start: datetime,
        end: datetime,
        reason: str | None,
        service_ids: Sequence[str],
        actor: str,
    ) -> BlackoutWindow:
        """A new freeze from `start` to `end` over the given business or technical services
        (global when there are none). Raises `InvalidInput` (name, start, end, a CI that is
        not a service) or `NotFound` (serviceIds[i]); nothing is written then. Three round
        trips."""
        trimmed = check_blackout(name, start, end)
        ids = list(dict.fromkeys(str(s) for s in service_ids))
        window_id, now = str(uuid.uuid4()), self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[BlackoutWindow]:
            await _check_services(self._db, tx, ids)
            [row] = await self._db.query(
                tx,
                CREATE_BLACKOUT,
                id=window_id,
                name=trimmed,
                start=start.astimezone(UTC).isoformat(),
                end=end.astimezone(UTC).isoformat(),
                reason=reason,
                now=now.isoformat(),
                actor=actor,
                serviceIds=ids,
            )
            window = blackout_from_row(row["window"])
            scope = ", ".join(ids) if ids else "every CI"
            event = NewEvent(
                new_event_id(),
                "createBlackoutWindow",
                f"freeze {trimmed!r} from {start.isoformat()} to {end.isoformat()} on {scope}",
                tuple(ids),
                at=now,
            )
            return Written(window, [event])

        return await self._writes.write("createBlackoutWindow", actor, work, changes_topology=False)

    async def delete_blackout(self, window_id: str, actor: str) -> BlackoutWindow:
        """Deletes the freeze and returns it as it was. Raises `NotFound` (field `id`). Three
        round trips."""
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[BlackoutWindow]:
            rows = await self._db.query(tx, LOCK_BLACKOUT, id=window_id)
            if not rows:
                raise NotFound(f"no freeze window has the id {window_id}", field="id")
            window = blackout_from_row(rows[0]["window"])
            await self._db.query(tx, DELETE_BLACKOUT, id=window_id)
            summary = f"freeze {window.name!r} deleted"
            event = NewEvent(
                new_event_id(), "deleteBlackoutWindow", summary, window.service_ids, at=now
            )
            return Written(window, [event])

        return await self._writes.write("deleteBlackoutWindow", actor, work, changes_topology=False)

    async def blackouts(self, start: datetime, end: datetime) -> list[BlackoutWindow]:
        """The freezes sharing an instant with `[start, end)`, by start. Raises `InvalidInput`
        for a period that ends before it starts or spans more than 366 days. One round trip."""
        start, end = check_period(start, end)
        rows = await self._db.read_rows(
            "blackoutWindows", BLACKOUTS_BETWEEN, **{"from": start.isoformat()}, to=end.isoformat()
        )
        return [blackout_from_row(row["window"]) for row in rows]

    async def set_maintenance(
        self, ci_id: str, days: str, opens: str, closes: str, timezone: str, actor: str
    ) -> MaintenanceWindow:
        """Sets the CI's weekly maintenance window (it has at most one: set again, it is
        replaced). Raises `InvalidInput` (days, opens, closes, timezone) or `NotFound`
        (ciId). Two round trips."""
        window = parse_maintenance_window(ci_id, days, opens, closes, timezone)
        window_id, now = str(uuid.uuid4()), self._clock.now()
        values = {
            "days": window.days,
            "opens": f"{window.opens:%H:%M}",
            "closes": f"{window.closes:%H:%M}",
            "timezone": window.timezone,
        }

        async def work(tx: AsyncManagedTransaction) -> Written[MaintenanceWindow]:
            rows = await self._db.query(tx, SET_MAINTENANCE, ciId=ci_id, id=window_id, **values)
            if not rows:
                raise NotFound(f"no CI has the id {ci_id}", field="ciId")
            before, after = _window_text(rows[0]["before"]), _window_text(values)
            stored = maintenance_from_row(rows[0]["window"])
            if before == after:
                return Written(stored)
            event = NewEvent(
                new_event_id(),
                "setMaintenanceWindow",
                f"maintenance window {after}",
                (ci_id,),
                changes=(FieldChange("maintenanceWindow", before, after),),
                at=now,
            )
            return Written(stored, [event])

        return await self._writes.write("setMaintenanceWindow", actor, work, changes_topology=False)

    async def clear_maintenance(self, ci_id: str, actor: str) -> MaintenanceWindow | None:
        """Removes the CI's maintenance window; returns it, or None when it had none. Raises
        `NotFound` (ciId). One or two round trips."""
        now = self._clock.now()

        async def work(tx: AsyncManagedTransaction) -> Written[MaintenanceWindow | None]:
            rows = await self._db.query(tx, CLEAR_MAINTENANCE, ciId=ci_id)
            if not rows:
                raise NotFound(f"no CI has the id {ci_id}", field="ciId")
            if rows[0]["window"] is None:
                return Written(None)
            cleared = maintenance_from_row(rows[0]["window"])
            event = NewEvent(
                new_event_id(),
                "clearMaintenanceWindow",
                "maintenance window cleared",
                (ci_id,),
                changes=(FieldChange("maintenanceWindow", cleared.describe(), None),),
                at=now,
            )
            return Written(cleared, [event])

        return await self._writes.write(
            "clearMaintenanceWindow", actor, work, changes_topology=False
        )

    async def maintenance_windows(self, ci_ids: Sequence[str]) -> dict[str, MaintenanceWindow]:
        """The maintenance window of each of `ci_ids` that has one, by CI id. One round trip."""
        rows = await self._db.read_rows(
            "maintenanceWindows", MAINTENANCE_OF, ciIds=list(dict.fromkeys(ci_ids))
        )
        return {row["window"]["ciId"]: maintenance_from_row(row["window"]) for row in rows}


async def _check_services(db: Database, tx: AsyncManagedTransaction, ids: list[str]) -> None:
    if not ids:
        return
    rows = await db.query(tx, FIND_SERVICES, ids=ids)
    missing = [r for r in rows if not r["found"]]
    if missing:
        first, *more = ((f"serviceIds[{r['at']}]", f"no CI has the id {r['id']}") for r in missing)
        raise NotFound(first[1], field=first[0], more=more)
    wrong = [
        FieldError(
            f"serviceIds[{r['at']}]",
            f"{r['id']} is not a business or technical service: a freeze covers services "
            "(and everything they depend on)",
            "INVALID_VALUE",
        )
        for r in rows
        if not r["isService"]
    ]
    if wrong:
        raise InvalidInput(wrong)
