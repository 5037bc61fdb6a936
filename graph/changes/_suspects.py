"""What changed? (docs/concepts.md, "Change enablement"): the changes implemented recently on
an incident's affected CIs or on anything they depend on, nearest first, each with the
dependency path from the affected CI down to the change's target. One query answers it for a
page of incidents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, LiteralString

from graph._clock import Clock
from graph._database import Database
from graph.changes._cypher import CHANGE_PROJECTION
from graph.changes._model import Change, change_from_row
from graph.domain import DEFAULT_DEPTH, ChangeState

__all__ = ["SuspectedChange", "SuspectedChanges"]

_SUSPECT_STATES = (ChangeState.IMPLEMENT, ChangeState.REVIEW, ChangeState.CLOSED)

# Downstream from each affected CI over the impact-carrying edges still open (not closed by
# a later unrelate), to each target of a change implemented between (opened - window) and
# now: the shortest path per (change, affected CI, target); then the nearest per change.
SUSPECTS: LiteralString = (
    """
UNWIND $incidentIds AS incidentId
MATCH (i:Incident {id: incidentId})
WITH i, i.openedAt - duration({seconds: $windowSeconds}) AS since
MATCH (c:Change)
WHERE c.state IN $states AND c.actualStart IS NOT NULL
  AND c.actualStart >= since AND c.actualStart <= datetime($now)
MATCH (c)-[:TARGETS]->(t:CI), (i)-[:AFFECTS]->(a:CI)
MATCH p = SHORTEST 1 (a)(()-[r:DEPENDS_ON|RUNS_ON|HOSTED_ON|CONNECTED_THROUGH|PROVIDED_BY
                       WHERE r.validTo IS NULL]->()){0,"""
    + str(DEFAULT_DEPTH)
    + """}(t)
WITH i, c, t, a, p
ORDER BY length(p), a.id, t.id
WITH i, c, collect({target: t.id, depth: length(p),
                    path: [n IN nodes(p) | n.id]})[0] AS nearest
RETURN i.id AS incidentId, nearest, """
    + CHANGE_PROJECTION
    + """ AS change
ORDER BY nearest.depth, c.actualStart DESC, c.number
"""
)


@dataclass(frozen=True)
class SuspectedChange:
    """A change that may have caused an incident."""

    change: Change
    target_ci_id: str
    """Its target nearest the incident's affected CIs."""
    depth: int
    """0 when it targets an affected CI; else how many dependency edges lie between."""
    path: tuple[str, ...]
    """The CI ids from the affected CI down to the target, both included."""

    @property
    def implemented_at(self) -> datetime:
        assert self.change.actual_start is not None
        return self.change.actual_start


def _suspect(row: dict[str, Any]) -> SuspectedChange:
    nearest = row["nearest"]
    return SuspectedChange(
        change=change_from_row(row["change"]),
        target_ci_id=nearest["target"],
        depth=int(nearest["depth"]),
        path=tuple(nearest["path"]),
    )


class SuspectedChanges:
    """The suspected-change method of `ChangeRepository`."""

    _db: Database
    _clock: Clock
    suspect_window: timedelta

    async def suspected_changes(
        self, incident_ids: Sequence[str]
    ) -> list[tuple[SuspectedChange, ...]]:
        """For each incident (in order): the changes implemented (IMPLEMENT, REVIEW or CLOSED,
        `actualStart` set) between its `openedAt` minus `suspect_window` and now, whose targets
        are its affected CIs or anything they depend on within the default depth; nearest
        first, then the latest implemented, then by number. One round trip for all."""
        rows = await self._db.read_rows(
            "suspectedChanges",
            SUSPECTS,
            incidentIds=list(incident_ids),
            windowSeconds=int(self.suspect_window.total_seconds()),
            states=[s.value for s in _SUSPECT_STATES],
            now=self._clock.now().isoformat(),
        )
        found: dict[str, list[SuspectedChange]] = {}
        for row in rows:
            found.setdefault(row["incidentId"], []).append(_suspect(row))
        return [tuple(found.get(i, ())) for i in incident_ids]
