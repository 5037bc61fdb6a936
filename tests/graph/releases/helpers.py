"""Building blocks for the release repository's tests: a clock that stands still, and changes
written straight into the graph with the storage contract's properties and edges (the change
repository is not what these tests are about)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from graph import Database, HistoryRepository, Writes
from graph.releases import ReleaseRepository

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

CREATE_CI = """
CREATE (:CI {id: $id, name: $id, class: $class, status: 'OPERATIONAL', criticality: $criticality,
    version: 1})
"""

CREATE_CHANGE = """
CREATE (c:Change:Record {id: $id, number: $number, title: $number, type: $type, state: $state,
    impactedCiIds: $impactedCiIds, impactedServiceIds: [i IN $impacts | i.serviceId],
    impactedStates: [i IN $impacts | i.state], impactedReasons: [i IN $impacts | i.reason],
    version: 1})
WITH c
CALL (c) {
    UNWIND $targets AS ciId
    MATCH (ci:CI {id: ciId})
    CREATE (c)-[:TARGETS]->(ci)
}
"""

SET_STATE = "MATCH (c:Change {number: $number}) SET c.state = $state"


@dataclass
class StillClock:
    at: datetime = START

    def now(self) -> datetime:
        return self.at


@dataclass
class Seeded:
    db: Database
    numbers: list[str] = field(default_factory=list)


def repository(db: Database) -> ReleaseRepository:
    history = HistoryRepository(db)
    return ReleaseRepository(db, history, Writes(db, history), StillClock())


async def add_ci(db: Database, ci_id: str, ci_class: str = "Server", criticality: int = 3) -> str:
    await db.write_rows(
        "test.ci", CREATE_CI, id=ci_id, **{"class": ci_class}, criticality=criticality
    )
    return ci_id


async def add_change(
    db: Database,
    number: str,
    targets: tuple[str, ...] = (),
    *,
    state: str = "SCHEDULED",
    change_type: str = "NORMAL",
    impacts: tuple[tuple[str, str, str], ...] = (),
    impacted_ci_ids: tuple[str, ...] | None = None,
) -> str:
    """A change numbered `number` on `targets`, with an impact snapshot (service id, state, reason)
    and its impact closure (the targets and services unless given)."""
    change_id = str(uuid.uuid4())
    closure = (
        impacted_ci_ids if impacted_ci_ids is not None else (*targets, *(i[0] for i in impacts))
    )
    await db.write_rows(
        "test.change",
        CREATE_CHANGE,
        id=change_id,
        number=number,
        type=change_type,
        state=state,
        targets=list(targets),
        impactedCiIds=list(closure),
        impacts=[
            {"serviceId": s, "state": st, "reason": r, "rank": n}
            for n, (s, st, r) in enumerate(impacts)
        ],
    )
    return change_id


async def set_state(db: Database, number: str, state: str) -> None:
    await db.write_rows("test.changeState", SET_STATE, number=number, state=state)
