"""The SLA clocks of incidents (docs/sla.md), computed from the stored history at the product
clock's "now"; and the instant stored as `slaBreachAt` on every write, so that the `breached`
filter is one comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from graph.domain import (
    DEFAULT_TARGETS,
    BusinessCalendar,
    IncidentState,
    Priority,
    SlaClock,
    SlaTargets,
    breach_at,
    sla_clocks,
    targets_from_json,
    targets_with,
)
from graph.incidents._model import Incident
from graph.incidents._prepare import PreparedIncident

__all__ = ["BusinessCalendar", "SlaClock", "breach_instant", "incident_clocks", "with_breach"]


def breach_instant(
    priority: Priority,
    opened_at: datetime,
    history: Sequence[tuple[IncidentState, datetime]],
    now: datetime,
    calendar: BusinessCalendar,
    targets: SlaTargets = DEFAULT_TARGETS,
) -> datetime | None:
    """The earliest instant an SLA clock breached or will breach if nothing changes; None
    when neither will (both stopped in time, or the resolution clock paused)."""
    return breach_at(sla_clocks(priority, opened_at, history, now, calendar, targets))


def incident_clocks(
    incident: Incident, now: datetime, calendar: BusinessCalendar
) -> tuple[SlaClock, SlaClock]:
    """The (response, resolution) clocks of `incident` at `now`, with the targets of its
    service level (docs/sla.md). Pure, no round trip."""
    return sla_clocks(
        incident.priority,
        incident.opened_at,
        incident.history,
        now,
        calendar,
        targets_with(targets_from_json(incident.sla_targets)),
    )


def with_breach(
    prepared: PreparedIncident, now: datetime, calendar: BusinessCalendar
) -> PreparedIncident:
    """`prepared` with the instant its SLA breaches, as of `now`."""
    history = [(t.to_state, t.at) for t in prepared.transitions]
    instant = breach_instant(prepared.priority, prepared.opened_at, history, now, calendar)
    return replace(prepared, sla_breach_at=instant)
