"""Building blocks for the problem repository's tests: a clock the test moves, and incidents
written straight into the graph (the incident repository is not what these tests are about)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from graph import Database, HistoryRepository, Writes
from graph.problems import ProblemRepository
from tests.clock import MovableClock

START = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

CREATE_INCIDENT = """
CREATE (i:Incident:Record {id: $id, number: $number, title: $number, state: $state,
    priority: 'P3', openedAt: $openedAt})
WITH i
UNWIND $ciIds AS ciId
MATCH (c:CI {id: ciId})
CREATE (i)-[:AFFECTS]->(c)
"""

CREATE_CI = "CREATE (:CI {id: $id, name: $id, class: 'Server', version: 1})"


def repository(db: Database, clock: MovableClock) -> ProblemRepository:
    history = HistoryRepository(db)
    return ProblemRepository(db, history, Writes(db, history), clock)


async def add_ci(db: Database, ci_id: str) -> str:
    await db.write_rows("test.ci", CREATE_CI, id=ci_id)
    return ci_id


async def add_incident(
    db: Database,
    number: str,
    ci_ids: tuple[str, ...] = (),
    opened_at: datetime = START,
    state: str = "NEW",
) -> str:
    incident_id = str(uuid.uuid4())
    await db.write_rows(
        "test.incident",
        CREATE_INCIDENT,
        id=incident_id,
        number=number,
        state=state,
        openedAt=opened_at,
        ciIds=list(ci_ids),
    )
    return incident_id
