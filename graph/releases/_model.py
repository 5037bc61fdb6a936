"""Releases as the repository returns them: plain frozen values read from one projection, with
the union of their changes' impact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.domain import (
    AUTHORISED_CHANGE_STATES,
    ChangeState,
    ChangeType,
    ReleaseState,
    ReleaseType,
    State,
    worst_state,
)

__all__ = [
    "IncludedChange",
    "Release",
    "ReleaseImpact",
    "ReleasePage",
    "ReleaseTransition",
    "included_change",
    "release_from_row",
    "union_of_impacts",
]


@dataclass(frozen=True)
class ReleaseTransition:
    """One recorded move of a release: who moved it from which state to which, when, why."""

    seq: int
    from_state: ReleaseState | None
    to_state: ReleaseState
    at: datetime
    actor: str
    note: str | None


@dataclass(frozen=True)
class IncludedChange:
    """A change a release holds, as the release needs it: its state and its targets."""

    id: str
    number: str
    title: str
    change_type: ChangeType
    state: ChangeState
    planned_start: datetime | None
    planned_end: datetime | None
    target_ci_ids: tuple[str, ...]

    @property
    def authorised(self) -> bool:
        """Whether the change may be deployed: scheduled or further on."""
        return self.state in AUTHORISED_CHANGE_STATES


@dataclass(frozen=True)
class ReleaseImpact:
    """A service the release impacts: the worst state any of its changes' impact snapshots
    gives it, the reason of the first change that gives it that state, and every change whose
    snapshot lists it."""

    service_id: str
    state: State
    reason: str
    change_numbers: tuple[str, ...]


@dataclass(frozen=True)
class Release:
    id: str
    number: str
    name: str
    version: str
    release_type: ReleaseType
    state: ReleaseState
    description: str | None
    planned_start: datetime | None
    planned_end: datetime | None
    rollback_plan: str | None
    rollback_note: str | None
    deployed_cis_given: bool
    """Whether the deployed CIs were named; if not, they are the union of the changes'
    targets, kept so as changes come and go."""
    created_at: datetime
    updated_at: datetime
    deployed_at: datetime | None
    closed_at: datetime | None
    rolled_back_at: datetime | None
    created_by: str
    updated_by: str
    revision: int
    """Increases with every change of the release (its `version` is the release's own)."""
    changes: tuple[IncludedChange, ...] = ()
    deployed_ci_ids: tuple[str, ...] = ()
    transitions: tuple[ReleaseTransition, ...] = ()
    impacted_services: tuple[ReleaseImpact, ...] = ()
    impacted_ci_count: int = 0
    """CIs in the union of the changes' impact closures (their targets included)."""

    @property
    def change_numbers(self) -> tuple[str, ...]:
        return tuple(c.number for c in self.changes)


@dataclass(frozen=True)
class ReleasePage:
    items: tuple[Release, ...]
    has_next: bool


def _time(value: Any) -> datetime | None:
    return None if value is None else value.to_native()


def _transition(p: dict[str, Any]) -> ReleaseTransition:
    return ReleaseTransition(
        seq=int(p["seq"]),
        from_state=ReleaseState(p["from"]) if p.get("from") else None,
        to_state=ReleaseState(p["to"]),
        at=p["at"].to_native(),
        actor=p["actor"],
        note=p.get("note"),
    )


def included_change(p: dict[str, Any]) -> IncludedChange:
    """The change of one row of `CHANGE_PROJECTION`."""
    return IncludedChange(
        id=p["id"],
        number=p["number"],
        title=p.get("title") or "",
        change_type=ChangeType(p["type"]),
        state=ChangeState(p["state"]),
        planned_start=_time(p.get("plannedStart")),
        planned_end=_time(p.get("plannedEnd")),
        target_ci_ids=tuple(p.get("targets") or ()),
    )


def union_of_impacts(rows: list[dict[str, Any]]) -> tuple[ReleaseImpact, ...]:
    """One entry per service over the changes' IMPACTS rows (serviceId, state, reason,
    changeNumber, criticality, name): the worst state, the reason of the first change (by
    number) giving it, every contributing change; most critical services first, then DOWN
    before DEGRADED, then by name. Pure; linear in the rows plus the sort."""
    by_service: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["changeNumber"], r["serviceId"])):
        by_service.setdefault(row["serviceId"], []).append(row)
    merged: list[tuple[tuple[int, int, str, str], ReleaseImpact]] = []
    for service_id, found in by_service.items():
        state = worst_state([State(r["state"]) for r in found])
        reason = next(r.get("reason") or "" for r in found if State(r["state"]) is state)
        numbers = tuple(dict.fromkeys(r["changeNumber"] for r in found))
        first = found[0]
        criticality = first.get("criticality")
        key = (
            int(criticality) if criticality is not None else 5,
            -state.severity,
            str(first.get("name") or ""),
            service_id,
        )
        merged.append((key, ReleaseImpact(service_id, state, reason, numbers)))
    return tuple(impact for _, impact in sorted(merged, key=lambda m: m[0]))


def release_from_row(p: dict[str, Any]) -> Release:
    """The release of one row of `RELEASE_PROJECTION`."""
    return Release(
        id=p["id"],
        number=p["number"],
        name=p["name"],
        version=p["version"],
        release_type=ReleaseType(p["type"]),
        state=ReleaseState(p["state"]),
        description=p.get("description"),
        planned_start=_time(p.get("plannedStart")),
        planned_end=_time(p.get("plannedEnd")),
        rollback_plan=p.get("rollbackPlan"),
        rollback_note=p.get("rollbackNote"),
        deployed_cis_given=bool(p.get("deployedCisGiven")),
        created_at=p["createdAt"].to_native(),
        updated_at=p["updatedAt"].to_native(),
        deployed_at=_time(p.get("deployedAt")),
        closed_at=_time(p.get("closedAt")),
        rolled_back_at=_time(p.get("rolledBackAt")),
        created_by=p["createdBy"],
        updated_by=p["updatedBy"],
        revision=int(p["revision"]),
        changes=tuple(included_change(c) for c in p.get("changeList") or ()),
        deployed_ci_ids=tuple(p.get("deployed") or ()),
        transitions=tuple(_transition(t) for t in p.get("transitionList") or ()),
        impacted_services=union_of_impacts(list(p.get("impactList") or ())),
        impacted_ci_count=int(p.get("impactedCiCount") or 0),
    )
