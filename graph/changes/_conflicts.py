"""What a batch of changes clashes with, in one read (docs/changes.md, "Conflicts"): the other
changes holding a window in the batch's span, the freezes of that span, the targets'
maintenance windows, the open P1/P2 incidents on the impacted services, and the names of the
CIs the reasons name. The rules are `graph/domain/_conflicts.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, LiteralString

from graph._database import Database
from graph.changes._model import Change, change_from_row
from graph.domain import (
    FINISHED_CHANGE_STATES,
    OPEN_STATES,
    BlackoutWindow,
    ChangeConflict,
    ConflictingIncident,
    ConflictKind,
    MaintenanceWindow,
    PlannedChange,
    find_conflicts,
    parse_maintenance_window,
)
from graph.incidents import IMPACTED_SERVICE_IDS

__all__ = [
    "Conflict",
    "ConflictFacts",
    "blackout_from_row",
    "maintenance_from_row",
    "names_wanted",
    "planned",
    "read_conflict_facts",
]

# What the rules read of the other changes: their window, state, assignee and reach (targets and
# impact closure), not the services of their snapshots (thousands under a shared database),
# their approvals or their transitions; the API shows them as `ConflictingChange`.
OTHER_PROJECTION: LiteralString = """c {.*, impactedServiceIds: null, impactedStates: null,
    impactedReasons: null,
    targets: COLLECT { MATCH (c)-[:TARGETS]->(t:CI) RETURN t.id ORDER BY t.id }}"""

# Each CALL returns one row, so the query returns one row whatever it finds. Changes and
# freezes are read only for the span of the batch's planned windows (none without one), in a
# fixed order (freezes: by start, global ones first, then by name), so conflicts list alike.
CONFLICT_FACTS: LiteralString = (
    """
CALL () {
    MATCH (c:Change)
    WHERE $from IS NOT NULL AND c.plannedStart < datetime($to) AND c.plannedEnd > datetime($from)
      AND NOT c.state IN $finished
    WITH c ORDER BY c.plannedStart, c.number
    RETURN collect("""
    + OTHER_PROJECTION
    + """) AS others
}
CALL () {
    MATCH (w:BlackoutWindow)
    WHERE $from IS NOT NULL AND w.start < datetime($to) AND w.end > datetime($from)
    WITH w ORDER BY w.start, EXISTS { (w)-[:COVERS]->() }, w.name, w.id
    RETURN collect(w {.*, serviceIds: COLLECT { MATCH (w)-[:COVERS]->(s) RETURN s.id }})
        AS freezes
}
CALL () {
    UNWIND $targetIds AS id
    MATCH (t:CI {id: id})-[:HAS_MAINTENANCE_WINDOW]->(m:MaintenanceWindow)
    RETURN collect(m {.*, ciId: t.id}) AS maintenance
}
CALL () {
    MATCH (i:Incident)
    WHERE i.state IN $open AND i.priority IN ['P1', 'P2']
    """
    + IMPACTED_SERVICE_IDS
    + """
    WITH i, serviceId WHERE serviceId IN $serviceIds
    WITH i, collect(DISTINCT serviceId) AS serviceIds ORDER BY i.priorityRank, i.number
    RETURN collect(i {.id, .number, .priority, .title, serviceIds: serviceIds}) AS incidents
}
RETURN others, freezes, maintenance, incidents
"""
)

NAMES: LiteralString = """
UNWIND $ids AS id
MATCH (c:CI {id: id})
RETURN collect([c.id, c.name]) AS names
"""


@dataclass(frozen=True)
class Conflict:
    """A conflict with the record it names, read: the other change, the freeze, or the ids of
    the incident and the CI (the API loads those by id)."""

    found: ChangeConflict
    change: Change | None = None
    blackout: BlackoutWindow | None = None
    maintenance: MaintenanceWindow | None = None
    """OUTSIDE_MAINTENANCE_WINDOW: the target's window."""
    incident: ConflictingIncident | None = None
    """OPEN_INCIDENT: the open P1/P2 incident."""


@dataclass(frozen=True)
class ConflictFacts:
    others: tuple[Change, ...]
    freezes: tuple[BlackoutWindow, ...]
    maintenance: dict[str, MaintenanceWindow]
    incidents: tuple[ConflictingIncident, ...]

    def conflicts(self, change: Change, names: dict[str, str]) -> list[Conflict]:
        """Every conflict of `change` against these facts. No round trip."""
        others = {o.id: o for o in self.others}
        freezes = {f.id: f for f in self.freezes}
        incidents = {i.id: i for i in self.incidents}
        found = find_conflicts(
            planned(change),
            [planned(o) for o in self.others],
            self.freezes,
            self.maintenance,
            self.incidents,
            names,
        )
        return [
            Conflict(
                c,
                others.get(c.change_id) if c.change_id else None,
                freezes.get(c.window_id) if c.window_id else None,
                self.maintenance.get(c.ci_id)
                if c.kind is ConflictKind.OUTSIDE_MAINTENANCE_WINDOW and c.ci_id
                else None,
                incidents.get(c.incident_id) if c.incident_id else None,
            )
            for c in found
        ]


def planned(change: Change) -> PlannedChange:
    return PlannedChange(
        id=change.id,
        number=change.number,
        title=change.title,
        state=change.state,
        planned_start=change.planned_start,
        planned_end=change.planned_end,
        assignee=change.assignee,
        target_ci_ids=change.target_ci_ids,
        impacted_ci_ids=change.impacted_ci_ids,
        impacted_service_ids=change.impacted_service_ids,
    )


def _span(changes: Sequence[Change]) -> tuple[datetime, datetime] | None:
    windows = [
        (c.planned_start, c.planned_end)
        for c in changes
        if c.planned_start is not None and c.planned_end is not None
    ]
    if not windows:
        return None
    return min(s for s, _ in windows), max(e for _, e in windows)


def blackout_from_row(p: dict[str, Any]) -> BlackoutWindow:
    """A freeze as stored (the window repository reads them so too)."""
    return BlackoutWindow(
        id=p["id"],
        name=p["name"],
        start=p["start"].to_native(),
        end=p["end"].to_native(),
        reason=p.get("reason"),
        service_ids=tuple(sorted(p.get("serviceIds") or ())),
        created_at=p["createdAt"].to_native(),
        created_by=p["createdBy"],
    )


def maintenance_from_row(p: dict[str, Any]) -> MaintenanceWindow:
    """A maintenance window as stored, with its CI's id as `ciId`."""
    window = parse_maintenance_window(p["ciId"], p["days"], p["opens"], p["closes"], p["timezone"])
    return replace(window, id=p["id"])


async def read_conflict_facts(db: Database, changes: Sequence[Change]) -> ConflictFacts:
    """Everything the conflicts of `changes` are judged against. One round trip."""
    span = _span(changes)
    rows = await db.read_rows(
        "changeConflicts",
        CONFLICT_FACTS,
        **{"from": span[0].isoformat() if span else None},
        to=span[1].isoformat() if span else None,
        finished=[s.value for s in FINISHED_CHANGE_STATES],
        open=[s.value for s in OPEN_STATES],
        targetIds=sorted({t for c in changes for t in c.target_ci_ids}),
        serviceIds=sorted({s for c in changes for s in c.impacted_service_ids}),
    )
    row = rows[0]
    return ConflictFacts(
        others=tuple(change_from_row(o) for o in row["others"]),
        freezes=tuple(blackout_from_row(f) for f in row["freezes"]),
        maintenance={m["ciId"]: maintenance_from_row(m) for m in row["maintenance"]},
        incidents=tuple(
            ConflictingIncident(
                i["id"], i["number"], i["priority"], i["title"], tuple(sorted(i["serviceIds"]))
            )
            for i in row["incidents"]
        ),
    )


def names_wanted(changes: Sequence[Change], facts: ConflictFacts) -> list[str]:
    """The CIs a reason may name: the targets and impacted services of the batch, the targets
    of the changes it meets (a CI the batch shares with one is among the batch's own), and the
    services the freezes cover."""
    wanted: set[str] = set()
    for c in changes:
        wanted.update(c.impacted_service_ids)
    for c in (*changes, *facts.others):
        wanted.update(c.target_ci_ids)
    for f in facts.freezes:
        wanted.update(f.service_ids)
    return sorted(wanted)
