"""Saving a change of a stored incident: the row the SAVE query takes (properties, the
timestamps its transitions imply, the SLA breach instant), and running it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database
from graph.domain import IncidentState, Priority, targets_from_json, targets_with
from graph.incidents._cypher import SAVE
from graph.incidents._model import Incident, incident_from_row
from graph.incidents._prepare import ComputedImpact, PreparedTransition, computed_parameter
from graph.incidents._sla import BusinessCalendar, breach_instant
from graph.incidents._targets import apply_service_targets

__all__ = ["Change", "save", "steps_to"]


def steps_to(
    incident: Incident,
    states: Sequence[IncidentState],
    at: datetime,
    actor: str,
    note: str | None,
) -> tuple[PreparedTransition, ...]:
    """The transitions that take `incident` through `states` in order, numbered after its
    recorded ones. The caller has checked that each is allowed."""
    steps, state, seq = [], incident.state, len(incident.transitions)
    for to in states:
        seq += 1
        steps.append(PreparedTransition(seq, state, to, at, actor, note))
        state = to
    return tuple(steps)


@dataclass(frozen=True)
class Change:
    """What one write changes of one incident."""

    incident: Incident
    properties: dict[str, Any] = field(default_factory=dict)
    steps: tuple[PreparedTransition, ...] = ()
    affected: tuple[str, ...] | None = None
    """The new affected CIs, replacing the old; None leaves them."""
    computed: tuple[ComputedImpact, ...] | None = None
    """The new computed impact, replacing the old; None leaves it."""
    services_changed: bool = False
    """Whether the incident's impacted services change otherwise (an agent's addition or
    exclusion): its SLA targets are chosen again."""

    def row(self, now: datetime, calendar: BusinessCalendar) -> dict[str, Any]:
        i, steps = self.incident, self.steps
        state = steps[-1].to_state if steps else i.state
        responded = i.responded_at or next(
            (s.at for s in steps if s.from_state is IncidentState.NEW), None
        )
        resolved = i.resolved_at
        closed = i.closed_at
        for step in steps:
            if step.to_state is IncidentState.RESOLVED:
                resolved = step.at
            elif step.to_state is IncidentState.CLOSED:
                closed = step.at
            elif step.from_state is IncidentState.RESOLVED:
                resolved = None  # reopened
        priority = Priority(self.properties.get("priority", i.priority.value))
        history = i.history + [(s.to_state, s.at) for s in steps]
        breach = breach_instant(
            priority,
            i.opened_at,
            history,
            now,
            calendar,
            targets_with(targets_from_json(i.sla_targets)),
        )
        return {
            "id": i.id,
            "properties": {**self.properties, "state": state.value},
            "respondedAt": _iso(responded),
            "resolvedAt": _iso(resolved),
            "closedAt": _iso(closed),
            "slaBreachAt": _iso(breach),
            "affected": None if self.affected is None else list(self.affected),
            "computed": None if self.computed is None else computed_parameter(self.computed),
            "transitions": [s.as_parameter() for s in steps],
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def save(
    db: Database,
    tx: AsyncManagedTransaction,
    changes: Sequence[Change],
    now: datetime,
    actor: str,
    calendar: BusinessCalendar,
) -> dict[str, Incident]:
    """Writes `changes` in `tx` (each incident's version goes up by one) and returns the
    incidents as saved, by id. One round trip; when the impacted services of some change,
    their SLA targets are chosen again (`_targets.py`): one or two more."""
    rows = [change.row(now, calendar) for change in changes]
    saved = await db.query(tx, SAVE, rows=rows, now=now.isoformat(), actor=actor)
    result = {row["incident"]["id"]: incident_from_row(row["incident"]) for row in saved}
    moved = [result[c.incident.id] for c in changes if c.computed is not None or c.services_changed]
    if moved:
        result.update(await apply_service_targets(db, tx, moved, now, calendar))
    return result
