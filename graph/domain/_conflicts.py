"""What a change clashes with (docs/changes.md, "Conflicts"), over its whole impact closure:
other changes holding an overlapping window on CIs it reaches, freezes, its targets'
maintenance windows, open P1/P2 incidents on services it impacts, and its assignee's other
work. Pure: `graph/changes/_conflicts.py` gathers the candidates in one read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from graph.domain._changes import ACTIVE_CHANGE_STATES, ChangeState
from graph.domain._windows import BlackoutWindow, MaintenanceWindow, overlaps

__all__ = [
    "FINISHED_CHANGE_STATES",
    "ChangeConflict",
    "ConflictKind",
    "ConflictingIncident",
    "PlannedChange",
    "find_conflicts",
]

FINISHED_CHANGE_STATES = (ChangeState.CLOSED, ChangeState.REJECTED, ChangeState.CANCELLED)
"""Changes that hold no window and clash with nothing."""


class ConflictKind(Enum):
    OVERLAPPING_CHANGE = "OVERLAPPING_CHANGE"
    BLACKOUT = "BLACKOUT"
    OUTSIDE_MAINTENANCE_WINDOW = "OUTSIDE_MAINTENANCE_WINDOW"
    OPEN_INCIDENT = "OPEN_INCIDENT"
    ASSIGNEE_BUSY = "ASSIGNEE_BUSY"


@dataclass(frozen=True)
class PlannedChange:
    """What the conflict rules read of a change."""

    id: str
    number: str
    title: str
    state: ChangeState
    planned_start: datetime | None
    planned_end: datetime | None
    assignee: str | None
    target_ci_ids: tuple[str, ...]
    impacted_ci_ids: tuple[str, ...]
    impacted_service_ids: tuple[str, ...]

    @property
    def reach(self) -> frozenset[str]:
        """Every CI the change touches: its targets and its impact closure."""
        return frozenset(self.target_ci_ids) | frozenset(self.impacted_ci_ids)

    @property
    def window(self) -> tuple[datetime, datetime] | None:
        if self.planned_start is None or self.planned_end is None:
            return None
        return self.planned_start, self.planned_end

    def window_text(self) -> str:
        if self.window is None:
            return "no window"
        start, end = self.window
        return f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class ConflictingIncident:
    id: str
    number: str
    priority: str
    title: str
    service_ids: tuple[str, ...]
    """The services it impacts (not excluded, or added by hand)."""


@dataclass(frozen=True)
class ChangeConflict:
    """One clash, with the record it clashes with: `change_id`, `incident_id`, `window_id`
    and `ci_id` are set where they apply."""

    kind: ConflictKind
    reason: str
    change_id: str | None = None
    incident_id: str | None = None
    window_id: str | None = None
    ci_id: str | None = None


def _name(names: Mapping[str, str], ci_id: str) -> str:
    return names.get(ci_id, ci_id)


def _shared_ci(change: PlannedChange, other: PlannedChange) -> str:
    """The CI to name for two changes that meet: a shared service first, then a target."""
    shared = change.reach & other.reach
    services = [s for s in change.impacted_service_ids if s in shared]
    targets = [t for t in change.target_ci_ids if t in shared]
    return (services or targets or sorted(shared))[0]


def _with_changes(
    change: PlannedChange, others: Sequence[PlannedChange], names: Mapping[str, str]
) -> list[ChangeConflict]:
    found: list[ChangeConflict] = []
    window = change.window
    if window is None:
        return found
    for other in others:
        if other.id == change.id or other.window is None:
            continue
        if not overlaps(*window, *other.window):
            continue
        when = f"{other.state.value} {other.window_text()}"
        if other.state in ACTIVE_CHANGE_STATES and change.reach & other.reach:
            ci = _shared_ci(change, other)
            found.append(
                ChangeConflict(
                    ConflictKind.OVERLAPPING_CHANGE,
                    f"{other.number} ({other.title}) is {when} and also reaches {_name(names, ci)}",
                    change_id=other.id,
                    ci_id=ci,
                )
            )
        if (
            change.assignee
            and other.assignee == change.assignee
            and other.state not in FINISHED_CHANGE_STATES
        ):
            found.append(
                ChangeConflict(
                    ConflictKind.ASSIGNEE_BUSY,
                    f"{change.assignee} is assigned {other.number} ({other.title}), {when}",
                    change_id=other.id,
                )
            )
    return found


def _with_freezes(
    change: PlannedChange, freezes: Sequence[BlackoutWindow], names: Mapping[str, str]
) -> list[ChangeConflict]:
    found: list[ChangeConflict] = []
    window = change.window
    if window is None:
        return found
    reached = set(change.impacted_service_ids) | set(change.target_ci_ids)
    for freeze in freezes:
        if not overlaps(*window, freeze.start, freeze.end):
            continue
        span = f"{freeze.start:%Y-%m-%d %H:%M} to {freeze.end:%Y-%m-%d %H:%M} UTC"
        if freeze.is_global:
            reason = f"the freeze {freeze.name!r} ({span}) covers every CI"
            found.append(ChangeConflict(ConflictKind.BLACKOUT, reason, window_id=freeze.id))
            continue
        covered = [s for s in freeze.service_ids if s in reached]
        if covered:
            reason = (
                f"the freeze {freeze.name!r} ({span}) covers {_name(names, covered[0])}, "
                "which this change impacts"
            )
            found.append(
                ChangeConflict(ConflictKind.BLACKOUT, reason, window_id=freeze.id, ci_id=covered[0])
            )
    return found


def _with_maintenance(
    change: PlannedChange,
    maintenance: Mapping[str, MaintenanceWindow],
    names: Mapping[str, str],
) -> list[ChangeConflict]:
    found: list[ChangeConflict] = []
    window = change.window
    if window is None:
        return found
    for target in change.target_ci_ids:
        allowed = maintenance.get(target)
        if allowed is None or allowed.contains(*window):
            continue
        reason = (
            f"the planned window ({change.window_text()}) is not inside the maintenance "
            f"window of {_name(names, target)} ({allowed.describe()})"
        )
        found.append(ChangeConflict(ConflictKind.OUTSIDE_MAINTENANCE_WINDOW, reason, ci_id=target))
    return found


def _with_incidents(
    change: PlannedChange, incidents: Sequence[ConflictingIncident], names: Mapping[str, str]
) -> list[ChangeConflict]:
    found: list[ChangeConflict] = []
    impacted = set(change.impacted_service_ids)
    for incident in incidents:
        hit = [s for s in incident.service_ids if s in impacted]
        if not hit:
            continue
        reason = (
            f"{incident.number} ({incident.priority}, {incident.title}) is open on "
            f"{_name(names, hit[0])}, which this change impacts"
        )
        found.append(
            ChangeConflict(
                ConflictKind.OPEN_INCIDENT, reason, incident_id=incident.id, ci_id=hit[0]
            )
        )
    return found


def find_conflicts(
    change: PlannedChange,
    others: Sequence[PlannedChange] = (),
    freezes: Sequence[BlackoutWindow] = (),
    maintenance: Mapping[str, MaintenanceWindow] | None = None,
    incidents: Sequence[ConflictingIncident] = (),
    names: Mapping[str, str] | None = None,
) -> list[ChangeConflict]:
    """Every conflict of `change`, kind by kind in the order of `ConflictKind`. A finished
    change (closed, rejected, cancelled) has none; a change without a planned window clashes
    only with open incidents. `incidents` are open P1/P2 ones; `names` names CIs by id.
    Cost: O(others + freezes + targets + incidents)."""
    if change.state in FINISHED_CHANGE_STATES:
        return []
    names = names or {}
    with_changes = _with_changes(change, others, names)
    order = list(ConflictKind)
    found = (
        with_changes
        + _with_freezes(change, freezes, names)
        + _with_maintenance(change, maintenance or {}, names)
        + _with_incidents(change, incidents, names)
    )
    return sorted(found, key=lambda c: order.index(c.kind))
