"""The computed state of services now: what the impact analysis says when every CI affected
by an open incident that causes an outage has failed (docs/concepts.md, "causesOutage")."""

from __future__ import annotations

from typing import LiteralString

from graph._database import Database
from graph.domain import OPEN_STATES, State
from graph.impact import Analyst

__all__ = ["MAX_FAILED_CIS", "ServiceStateReader"]

MAX_FAILED_CIS = 1000
"""The most failed CIs one computation starts from (the impact analysis's bound); beyond it,
the first by id."""

FAILED_CIS: LiteralString = """
MATCH (i:Incident)-[:AFFECTS]->(c:CI)
WHERE i.state IN $open AND i.causesOutage = true
WITH DISTINCT c.id AS id ORDER BY id LIMIT $limit
RETURN collect(id) AS ids
"""


class ServiceStateReader:
    def __init__(self, db: Database, analyst: Analyst) -> None:
        self._db = db
        self._analyst = analyst

    async def current(self) -> dict[str, State]:
        """Every service that is not OPERATIONAL now, with its redundancy-aware state. Two
        round trips (the failed CIs, the topology's freshness check), then the analysis's
        O(V + E) array work over the failed CIs' radius."""
        [row] = await self._db.read_rows(
            "serviceStates",
            FAILED_CIS,
            open=[state.value for state in OPEN_STATES],
            limit=MAX_FAILED_CIS,
        )
        failed: list[str] = row["ids"]
        if not failed:
            return {}
        analysis = await self._analyst.impact(failed)
        return {s.ci.id: s.state for s in analysis.services if s.state is not State.OPERATIONAL}
