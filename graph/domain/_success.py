"""How well changes go (docs/changes.md, "Success score and change failure rate"): the points
of a reviewed change, the success score of a group of changes, and the change failure rate of
a period. Pure: the repository that reads reviewed changes is `graph/changes/_success.py`.

The points follow ServiceNow's published change success score: +3 for a successful change, -2
for one successful with issues, -5 for a failed or backed-out one, and -10 / -5 / -2 for each
P1 / P2 / P3 incident it caused. A raw sum grows with the number of changes, so a team with
many changes could not be compared with a team with few; the score normalises each change's
points onto 0..100 (`CHANGE_POINTS_FLOOR` -> 0, +3 -> 100) and averages them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from graph.domain._changes import ChangeOutcome
from graph.domain._incidents import Priority

__all__ = [
    "BEST_CHANGE_POINTS",
    "CHANGE_POINTS_FLOOR",
    "INCIDENT_POINTS",
    "OUTCOME_POINTS",
    "FailureRate",
    "ReviewedChange",
    "SuccessGroupBy",
    "SuccessScore",
    "change_points",
    "failure_rate",
    "is_failure",
    "success_score",
    "success_scores",
]

OUTCOME_POINTS: Mapping[ChangeOutcome, int] = {
    ChangeOutcome.SUCCESSFUL: 3,
    ChangeOutcome.SUCCESSFUL_WITH_ISSUES: -2,
    ChangeOutcome.FAILED: -5,
    ChangeOutcome.BACKED_OUT: -5,
}
"""The points of a reviewed change by its outcome."""

INCIDENT_POINTS: Mapping[Priority, int] = {
    Priority.P1: -10,
    Priority.P2: -5,
    Priority.P3: -2,
    Priority.P4: 0,
    Priority.P5: 0,
}
"""The points of each incident a change caused, by the incident's priority."""

BEST_CHANGE_POINTS = 3
"""A successful change that caused no incident: 100 on the normalised scale."""

CHANGE_POINTS_FLOOR = -15
"""A failed change that caused a P1 (-5 - 10): 0 on the normalised scale. A change with fewer
points counts as this many, so that one disaster cannot outweigh any number of good changes."""


class SuccessGroupBy(Enum):
    """What `changeSuccessScores` groups closed changes by."""

    ASSIGNMENT_GROUP = "ASSIGNMENT_GROUP"
    CHANGE_TYPE = "CHANGE_TYPE"
    CI = "CI"
    """Each target CI of a change: a change on two CIs counts for both."""


@dataclass(frozen=True)
class ReviewedChange:
    """A closed change as the scores see it: its outcome and the priorities of the incidents
    linked as caused by it."""

    number: str
    outcome: ChangeOutcome
    caused: tuple[Priority, ...] = ()


@dataclass(frozen=True)
class SuccessScore:
    """The success score of a set of closed changes. `score` is None without changes."""

    changes: int
    successful: int
    with_issues: int
    failed: int
    backed_out: int
    caused_incidents: Mapping[Priority, int]
    """How many incidents of each priority (P1 .. P5, zeros included) the changes caused."""
    points: int
    """ServiceNow's raw sum: outcome points plus incident points, unclamped."""
    score: float | None
    """0 (every change failed and caused a P1, or worse) .. 100 (every change successful, no
    incident), rounded to one decimal."""
    key: str | None = None
    """What the changes share (an assignment group, a change type, a CI id); None when the
    score is over changes without one, such as those with no assignment group."""


@dataclass(frozen=True)
class FailureRate:
    """The change failure rate of a period. `rate` is None without closed changes."""

    total: int
    failed: tuple[str, ...] = field(default=())
    """The numbers of the failing changes, in number order."""

    @property
    def rate(self) -> float | None:
        """failed / total, 0..1, rounded to four decimals."""
        return round(len(self.failed) / self.total, 4) if self.total else None


def change_points(change: ReviewedChange) -> int:
    """The raw points of one change: its outcome's and its caused incidents'."""
    return OUTCOME_POINTS[change.outcome] + sum(INCIDENT_POINTS[p] for p in change.caused)


def _normalised(points: int) -> float:
    clamped = max(CHANGE_POINTS_FLOOR, min(BEST_CHANGE_POINTS, points))
    return (clamped - CHANGE_POINTS_FLOOR) / (BEST_CHANGE_POINTS - CHANGE_POINTS_FLOOR)


def success_score(changes: Iterable[ReviewedChange], key: str | None = None) -> SuccessScore:
    """The score of `changes`: the mean of each change's points on 0..100, and the counts
    behind it. O(changes + incidents)."""
    listed = list(changes)
    outcomes = Counter(c.outcome for c in listed)
    caused = Counter(p for c in listed for p in c.caused)
    points = [change_points(c) for c in listed]
    score = None
    if listed:
        score = round(100 * sum(_normalised(p) for p in points) / len(listed), 1)
    return SuccessScore(
        changes=len(listed),
        successful=outcomes[ChangeOutcome.SUCCESSFUL],
        with_issues=outcomes[ChangeOutcome.SUCCESSFUL_WITH_ISSUES],
        failed=outcomes[ChangeOutcome.FAILED],
        backed_out=outcomes[ChangeOutcome.BACKED_OUT],
        caused_incidents={p: caused[p] for p in Priority},
        points=sum(points),
        score=score,
        key=key,
    )


def success_scores(
    changes: Iterable[tuple[Sequence[str | None], ReviewedChange]],
) -> list[SuccessScore]:
    """One score per key, each change counted under every key it has (a change on two CIs
    counts for both; duplicates of a key count once). Ordered by score, lowest first (the
    groups to look at), then by key with None last. O(changes x keys)."""
    grouped: dict[str | None, dict[str, ReviewedChange]] = {}
    for keys, change in changes:
        for key in dict.fromkeys(keys):
            grouped.setdefault(key, {})[change.number] = change
    scores = [success_score(members.values(), key) for key, members in grouped.items()]
    return sorted(scores, key=lambda s: (s.score or 0.0, s.key is None, s.key or ""))


def is_failure(change: ReviewedChange) -> bool:
    """Whether a closed change counts as failed for the change failure rate: it failed, was
    backed out, or caused an incident of any priority. (DORA counts changes that led to a
    failure in production needing remediation; a failed change needs one as much as a backed
    out one does.)"""
    return change.outcome in (ChangeOutcome.FAILED, ChangeOutcome.BACKED_OUT) or bool(change.caused)


def failure_rate(changes: Iterable[ReviewedChange]) -> FailureRate:
    """The failure rate of the closed changes of a period. O(changes)."""
    listed = list(changes)
    failed = tuple(sorted(c.number for c in listed if is_failure(c)))
    return FailureRate(total=len(listed), failed=failed)
