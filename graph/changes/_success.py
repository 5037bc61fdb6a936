"""The success score and the change failure rate read from Neo4j (docs/changes.md, "Success
score and change failure rate"): the closed changes of a period with their outcomes and the
priorities of the incidents they caused, in one query; the arithmetic is pure, in
`graph/domain/_success.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from graph._database import Database
from graph.changes._cypher import CHANGE_PROJECTION
from graph.changes._model import Change, change_from_row
from graph.domain import (
    ChangeOutcome,
    ChangeState,
    FailureRate,
    IncidentState,
    Priority,
    ReviewedChange,
    SuccessGroupBy,
    SuccessScore,
    failure_rate,
    is_failure,
    success_score,
    success_scores,
)
from graph.errors import FieldError, InvalidInput

__all__ = ["ChangeFailureRate", "SuccessScores", "success_score_of"]

# A cancelled incident was no incident: it does not count against the change.
_CAUSED: LiteralString = """COLLECT { MATCH (i:Incident)-[:CAUSED_BY]->(c)
                      WHERE i.state <> $cancelled RETURN i.priority }"""

REVIEWED_IN_PERIOD: LiteralString = (
    """
MATCH (c:Change)
WHERE c.state = $closed AND c.outcome IS NOT NULL
  AND c.actualEnd >= datetime($from) AND c.actualEnd < datetime($to)
RETURN c.number AS number, c.outcome AS outcome, c.type AS type,
    c.assignmentGroup AS assignmentGroup,
    COLLECT { MATCH (c)-[:TARGETS]->(t:CI) RETURN t.id ORDER BY t.id } AS targets,
    """
    + _CAUSED
    + """ AS caused,
    CASE WHEN $full THEN """
    + CHANGE_PROJECTION
    + """ ELSE null END AS change
ORDER BY c.number
"""
)

REVIEWED_OF: LiteralString = (
    """
MATCH (c:Change)
WHERE c.state = $closed AND c.outcome IS NOT NULL
  AND ($group IS NULL OR c.assignmentGroup = $group)
  AND ($since IS NULL OR c.actualEnd >= datetime($since))
  AND (size($ciIds) = 0 OR EXISTS { MATCH (c)-[:TARGETS]->(t:CI) WHERE t.id IN $ciIds })
RETURN c.number AS number, c.outcome AS outcome, """
    + _CAUSED
    + """ AS caused
"""
)


@dataclass(frozen=True)
class ChangeFailureRate:
    """The failure rate of a period, with the failing changes themselves."""

    rate: FailureRate
    failed: tuple[Change, ...]
    """The changes that count as failed, in number order."""


def _reviewed(row: dict[str, Any]) -> ReviewedChange:
    return ReviewedChange(
        row["number"],
        ChangeOutcome(row["outcome"]),
        tuple(Priority(p) for p in row["caused"] if p is not None),
    )


def _check_period(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        message = "give a time zone (for example 2026-03-01T00:00:00Z)"
        raise InvalidInput(
            [FieldError("from" if start.tzinfo is None else "to", message, "INVALID_VALUE")]
        )
    if end <= start:
        raise InvalidInput([FieldError("to", "must be after `from`", "OUT_OF_RANGE")])


def _keys(row: dict[str, Any], group_by: SuccessGroupBy) -> Sequence[str | None]:
    if group_by is SuccessGroupBy.ASSIGNMENT_GROUP:
        return (row["assignmentGroup"],)
    if group_by is SuccessGroupBy.CHANGE_TYPE:
        return (row["type"],)
    return tuple(row["targets"])


async def success_score_of(
    db: Database,
    *,
    assignment_group: str | None = None,
    ci_ids: Sequence[str] = (),
    since: datetime | None = None,
) -> SuccessScore:
    """The success score of the closed changes of `assignment_group` (any, when None) that
    target any of `ci_ids` (any CI, when empty), closed since `since` (ever, when None): what
    risk reads of a change's history. `score` is None without such changes. One round trip."""
    rows = await db.read_rows(
        "changeSuccessScoreOf",
        REVIEWED_OF,
        closed=ChangeState.CLOSED.value,
        cancelled=IncidentState.CANCELLED.value,
        group=assignment_group,
        since=since.isoformat() if since else None,
        ciIds=list(dict.fromkeys(ci_ids)),
    )
    return success_score(_reviewed(row) for row in rows)


class SuccessScores:
    """The success-score and failure-rate methods of `ChangeRepository`."""

    _db: Database

    async def _reviewed_rows(self, start: datetime, end: datetime, *, full: bool) -> list[Any]:
        _check_period(start, end)
        return await self._db.read_rows(
            "changeFailureRate" if full else "changeSuccessScores",
            REVIEWED_IN_PERIOD,
            closed=ChangeState.CLOSED.value,
            cancelled=IncidentState.CANCELLED.value,
            full=full,
            **{"from": start.isoformat(), "to": end.isoformat()},
        )

    async def success_scores(
        self, group_by: SuccessGroupBy, start: datetime, end: datetime
    ) -> list[SuccessScore]:
        """One score per assignment group, change type or target CI over the changes closed
        (by `actualEnd`) in [start, end), lowest score first. Raises `InvalidInput` for an
        empty or naive period. One round trip."""
        rows = await self._reviewed_rows(start, end, full=False)
        return success_scores((_keys(row, group_by), _reviewed(row)) for row in rows)

    async def failure_rate(self, start: datetime, end: datetime) -> ChangeFailureRate:
        """The change failure rate of the changes closed (by `actualEnd`) in [start, end):
        those failed, backed out or causing an incident, over all of them. Raises
        `InvalidInput` for an empty or naive period. One round trip."""
        rows = await self._reviewed_rows(start, end, full=True)
        failed = tuple(change_from_row(row["change"]) for row in rows if is_failure(_reviewed(row)))
        return ChangeFailureRate(failure_rate(_reviewed(row) for row in rows), failed)
