"""A change's impact snapshot: the services the failure of its targets would impact (the
redundancy-aware impact analysis), and every CI in the closure; taken entering ASSESS, again when
the targets change after assessment, and by `recomputeImpact`, which reports the difference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from graph._history import NewEvent
from graph.changes._model import Change, ChangeImpact
from graph.changes._save import Request, Save, changes_event, lock_and_read, save
from graph.domain import ChangeState, State, services_diff
from graph.errors import Conflict
from graph.impact import Analyst

__all__ = [
    "ImpactDifference",
    "ServiceChange",
    "Snapshot",
    "difference",
    "recompute_work",
    "snapshot_of",
    "take_snapshot",
]


@dataclass(frozen=True)
class Snapshot:
    impacts: tuple[ChangeImpact, ...]
    """The business and technical services, most critical first."""
    impacted_ci_ids: tuple[str, ...]
    """The targets, then every impacted CI, nearest first."""
    targets: tuple[str, ...] = ()
    """The targets it was taken of."""


async def take_snapshot(analyst: Analyst, targets: Sequence[str]) -> Snapshot:
    """The snapshot of `targets` as the topology stands. In process: one round trip (the
    topology's freshness check), the analysis, then the services' reasons (O(degree) each)
    and the closure's ids read from the analysis's depths at once (numpy), not CI by CI."""
    analysis = await analyst.impact(list(targets))
    impacts = tuple(
        ChangeImpact(s.ci.id, s.state, s.reason, rank) for rank, s in enumerate(analysis.services)
    )
    depth = analysis.depth
    reached = np.flatnonzero((depth >= 1) & (depth <= analysis.max_depth))
    # Nearest first, then in the projection's order: the order of `analysis.impacted`.
    nearest = reached[np.argsort(depth[reached], kind="stable")]
    ids = analysis.topology.ids
    closure = [*targets, *(ids[i] for i in nearest.tolist())]
    return Snapshot(impacts, tuple(dict.fromkeys(closure)), tuple(targets))


async def snapshot_of(analyst: Analyst, targets: Sequence[str], ready: Snapshot | None) -> Snapshot:
    """`ready` (taken before the transaction) when it was taken of these targets, else a new
    one: a change's targets read under its lock decide."""
    if ready is not None and set(ready.targets) == set(targets):
        return ready
    return await take_snapshot(analyst, targets)


@dataclass(frozen=True)
class ServiceChange:
    service_id: str
    before: State
    after: State


@dataclass(frozen=True)
class ImpactDifference:
    """What a new snapshot changed of the old one."""

    added: tuple[ChangeImpact, ...] = ()
    removed: tuple[ChangeImpact, ...] = ()
    changed: tuple[ServiceChange, ...] = ()


def difference(before: Change, after: Change) -> ImpactDifference:
    """The services `after` lists that `before` did not, those it no longer lists, and those
    whose state moved."""
    old = {i.service_id: i for i in before.impacted}
    new = {i.service_id: i for i in after.impacted}
    return ImpactDifference(
        added=tuple(i for i in after.impacted if i.service_id not in old),
        removed=tuple(i for i in before.impacted if i.service_id not in new),
        changed=tuple(
            ServiceChange(i.service_id, old[i.service_id].state, i.state)
            for i in after.impacted
            if i.service_id in old and old[i.service_id].state is not i.state
        ),
    )


async def recompute_work(
    r: Request, analyst: Analyst, number: str, ready: Snapshot | None = None
) -> tuple[Change, list[NewEvent], ImpactDifference]:
    """Takes the snapshot of the change's targets again, under its lock (`ready`, taken
    before the transaction, when the targets are still those); refused (Conflict) once the
    change is closed, rejected or cancelled, or before it was ever assessed."""
    current = await lock_and_read(r.db, r.tx, number)
    if current.state in (ChangeState.CLOSED, ChangeState.REJECTED, ChangeState.CANCELLED):
        message = f"the change is {current.state.value}: its snapshot is kept as it was"
        raise Conflict(message, field="number")
    snapshot = await snapshot_of(analyst, current.target_ci_ids, ready)
    saved = await save(
        r,
        Save(
            current,
            impacts=snapshot.impacts,
            impacted_ci_ids=snapshot.impacted_ci_ids,
            times={"assessedAt": r.now},
        ),
    )
    found = difference(current, saved)
    changes = services_diff(
        "impactedServices", current.impacted_service_ids, saved.impacted_service_ids
    )
    return (
        saved,
        [changes_event(current, "recomputeImpact", "impact recomputed", changes, r)],
        found,
    )
