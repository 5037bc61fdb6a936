"""The audit trail (docs/concepts.md, "History"): who changed what, when, with the values
before and after.

Events are written inside the transaction of the change they describe (by the write recipe,
`graph/_writes.py`, or by the query that makes the change), so a change and its record commit
together or not at all. Each event hangs off every CI and every ITSM record (incident, problem;
label `Record`) it concerns: `(:CI|Record)-[:HAS_EVENT]->(:AuditEvent)`.

An event may group entries (`entrySummaries` and `entryChanges`, one item per relationship):
an import batch writes one event listing every relationship it added, and each CI at their
ends links to it by a `HAS_EVENT` edge whose `entries` are the numbers of its own (the CI's
event of the batch); an edge without `entries` means every entry (the per-CI events of earlier
imports). A CI's history lists each of its entries as an event of its own, with the group's
time, actor and operation and the id `<event id>/<entry number>`, so a client sees what it saw
when each relationship had its own event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import AuditEvent, FieldChange, changes_as_json

__all__ = ["HistoryPage", "HistoryRepository", "NewEvent"]

# CREATE, not MERGE: an event id is a fresh UUID that nothing else writes, and the driver calls a
# transaction function again only after the attempt was rolled back (a commit whose outcome is
# unknown raises `IncompleteCommit`, which it does not retry), so a retry never finds the event
# of an earlier attempt. MERGE cost an index lookup and a lock per event for nothing.
RECORD_EVENTS = """
UNWIND $events AS e
CREATE (event:AuditEvent {id: e.id, at: coalesce(datetime(e.at), datetime.transaction()),
    actor: $actor, operation: e.operation, summary: e.summary, changes: e.changes,
    ciIds: e.ciIds})
WITH event, e
CALL (event, e) {
    UNWIND e.ciIds AS ciId
    MATCH (c:CI {id: ciId})
    CREATE (c)-[:HAS_EVENT]->(event)
}
CALL (event, e) {
    UNWIND e.recordIds AS recordId
    MATCH (r:Record {id: recordId})
    CREATE (r)-[:HAS_EVENT]->(event)
}
"""

# A grouped event becomes one row per entry, numbered with six digits so that entry ids sort
# as their numbers, and after the group's own id (event ids are UUIDs, all of one length).
PAGE_HISTORY = """
MATCH (:CI {id: $ciId})-[h:HAS_EVENT]->(e:AuditEvent)
WHERE $afterAt IS NULL OR e.at <= datetime($afterAt)
UNWIND CASE WHEN h.entries IS NOT NULL THEN h.entries WHEN e.entrySummaries IS NULL THEN [-1]
    ELSE range(0, size(e.entrySummaries) - 1) END AS part
WITH e, part,
     CASE WHEN part < 0 THEN e.id ELSE e.id + '/' + right('00000' + toString(part), 6) END AS id
WHERE $afterAt IS NULL OR e.at < datetime($afterAt) OR (e.at = datetime($afterAt) AND id < $afterId)
RETURN e {id: id, .at, .actor, .operation, atText: toString(e.at),
    summary: CASE WHEN part < 0 THEN e.summary ELSE e.entrySummaries[part] END,
    changes: CASE WHEN part < 0 THEN e.changes ELSE e.entryChanges[part] END} AS event
ORDER BY e.at DESC, id DESC
LIMIT $limit
"""

PAGE_RECORD_HISTORY = """
MATCH (:Record {id: $ciId})-[:HAS_EVENT]->(e:AuditEvent)
WHERE $afterAt IS NULL OR e.at < datetime($afterAt)
   OR (e.at = datetime($afterAt) AND e.id < $afterId)
RETURN e {.*, atText: toString(e.at)} AS event
ORDER BY e.at DESC, e.id DESC
LIMIT $limit
"""


@dataclass(frozen=True)
class NewEvent:
    id: str
    operation: str
    summary: str
    ci_ids: tuple[str, ...]
    changes: tuple[FieldChange, ...] = ()
    record_ids: tuple[str, ...] = ()
    """The ITSM records (incidents, problems) the event concerns, by id."""
    at: datetime | None = None
    """When it happened, when that is not the transaction's time: an incident's transition
    happens at the product clock's "now" (tests move it), an imported one at its recorded
    time."""

    def as_parameter(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "summary": self.summary,
            "ciIds": list(self.ci_ids),
            "recordIds": list(self.record_ids),
            "at": self.at.isoformat() if self.at else None,
            "changes": changes_as_json((c.field, c.before, c.after) for c in self.changes),
        }


@dataclass(frozen=True)
class HistoryPage:
    items: tuple[AuditEvent, ...]
    has_next: bool


class HistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, tx: AsyncManagedTransaction, actor: str, events: list[NewEvent]) -> None:
        """Writes `events` in `tx`, attached to their CIs. One round trip."""
        if events:
            parameters = [event.as_parameter() for event in events]
            await self._db.query(tx, RECORD_EVENTS, events=parameters, actor=actor)

    async def page(
        self, ci_id: str, first: int, after: tuple[str, str] | None, *, record: bool = False
    ) -> HistoryPage:
        """A CI's events (or, with `record`, an ITSM record's, `ci_id` being the record's id),
        newest first, keyset-paged by (time, id). One round trip."""
        rows = await self._db.read_rows(
            "recordHistory" if record else "ciHistory",
            PAGE_RECORD_HISTORY if record else PAGE_HISTORY,
            ciId=ci_id,
            afterAt=after[0] if after else None,
            afterId=after[1] if after else None,
            limit=first + 1,
        )
        items = tuple(_event(row["event"]) for row in rows[:first])
        return HistoryPage(items, has_next=len(rows) > first)


def _event(props: dict[str, Any]) -> AuditEvent:
    changes = tuple(
        FieldChange(c["field"], c["before"], c["after"]) for c in json.loads(props["changes"])
    )
    return AuditEvent(
        id=props["id"],
        at=props["at"].to_native(),
        actor=props["actor"],
        operation=props["operation"],
        summary=props["summary"],
        changes=changes,
        position=(props["atText"], props["id"]),
    )
