"""The service level a business service promises (docs/sla.md, "Targets per service"): its
availability target, support hours, response and resolution targets per priority (which
override the defaults of an incident's SLA clocks), and its recovery objectives. Pure."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from graph.domain._calendar import BusinessCalendar
from graph.domain._incidents import Priority
from graph.domain._sla import SlaKind, Target
from graph.errors import FieldError, InvalidInput

__all__ = [
    "ALWAYS",
    "MAX_OBJECTIVE_SECONDS",
    "ServiceLevel",
    "check_service_level",
    "downtime_cost",
    "governing_level",
    "support_calendar",
    "targets_from_json",
    "targets_to_json",
]

ALWAYS = "24x7"
"""Support hours around the clock, every day."""
MAX_OBJECTIVE_SECONDS = 365 * 86_400
"""The longest recovery time or point objective: a year."""
MAX_OUTAGE_COST_PER_HOUR = Decimal("1000000000000")
"""The largest cost per hour of outage a service level accepts."""

_SUPPORT_HOURS = re.compile(r"^\s*(\S+)\s+(\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2})(?:\s+(\S+))?\s*$")


@dataclass(frozen=True)
class ServiceLevel:
    """What a business service promises; any part may be unset."""

    service_id: str
    availability_target: float | None = None
    """Percent of the period, e.g. 99.9."""
    support_hours: str | None = None
    """`24x7`, or working days and hours with an optional time zone:
    `MON-FRI 08:00-18:00 Europe/Paris`."""
    targets: Mapping[SlaKind, Mapping[Priority, Target]] = field(default_factory=dict)
    """Response and resolution targets that replace the defaults, per priority."""
    rto_seconds: int | None = None
    """Recovery time objective."""
    rpo_seconds: int | None = None
    """Recovery point objective."""
    outage_cost_per_hour: Decimal | None = None
    """What an hour of outage costs the business, in the currency of CI costs; the cost of
    downtime of a period is the downtime from availability times it."""
    updated_at: datetime | None = None
    updated_by: str | None = None


def support_calendar(support_hours: str, timezone: str = "UTC") -> BusinessCalendar | None:
    """The calendar of `support_hours`; None for `24x7`. Raises ValueError naming what is wrong
    (`timezone` is the zone used when the text names none)."""
    if support_hours.strip().lower() == ALWAYS:
        return None
    match = _SUPPORT_HOURS.match(support_hours)
    if not match:
        raise ValueError(
            f"support hours must be {ALWAYS} or days and hours such as "
            f"'MON-FRI 08:00-18:00 Europe/Paris', got {support_hours!r}"
        )
    days, hours, zone = match.groups()
    return BusinessCalendar.parse(hours=hours, days=days, timezone=zone or timezone)


def check_service_level(level: ServiceLevel) -> None:
    """Raises `InvalidInput` with every error of `level`: an availability target outside
    (0, 100], unreadable support hours, objectives outside 0 .. a year."""
    errors: list[FieldError] = []
    target = level.availability_target
    if target is not None and not 0 < target <= 100:
        errors.append(
            FieldError(
                "availabilityTarget",
                f"a percentage above 0 and at most 100, got {target}",
                "OUT_OF_RANGE",
            )
        )
    if level.support_hours is not None:
        try:
            support_calendar(level.support_hours)
        except ValueError as error:
            errors.append(FieldError("supportHours", str(error), "INVALID_FORMAT"))
    for name, seconds in (("rto", level.rto_seconds), ("rpo", level.rpo_seconds)):
        if seconds is not None and not 0 <= seconds <= MAX_OBJECTIVE_SECONDS:
            errors.append(
                FieldError(
                    name,
                    f"seconds from 0 to {MAX_OBJECTIVE_SECONDS} (a year), got {seconds}",
                    "OUT_OF_RANGE",
                )
            )
    cost = level.outage_cost_per_hour
    if cost is not None and (not cost.is_finite() or cost < 0 or cost > MAX_OUTAGE_COST_PER_HOUR):
        errors.append(
            FieldError(
                "outageCostPerHour",
                f"an amount from 0 to {MAX_OUTAGE_COST_PER_HOUR}, got {cost}",
                "OUT_OF_RANGE",
            )
        )
    if errors:
        raise InvalidInput(errors)


def downtime_cost(level: ServiceLevel | None, downtime_seconds: float) -> Decimal | None:
    """What `downtime_seconds` of outage cost, to the cent (half up); None when the service
    states no cost per hour of outage."""
    if level is None or level.outage_cost_per_hour is None:
        return None
    hours = Decimal(repr(downtime_seconds)) / Decimal(3600)
    return (level.outage_cost_per_hour * hours).quantize(Decimal("0.01"), ROUND_HALF_UP)


def governing_level(
    levels: Iterable[tuple[int | None, str, ServiceLevel]],
) -> ServiceLevel | None:
    """The service level that sets an incident's SLA targets, among those of the business
    services it impacts, given as (criticality, name, level): the most critical service's
    (1 before 4, unset last), then by name. None when no impacted service has targets."""
    with_targets = [entry for entry in levels if entry[2].targets]
    if not with_targets:
        return None
    with_targets.sort(key=lambda entry: (entry[0] if entry[0] is not None else 99, entry[1]))
    return with_targets[0][2]


def targets_to_json(targets: Mapping[SlaKind, Mapping[Priority, Target]]) -> str:
    """How targets are stored: `{"RESPONSE": {"P1": "15 minutes"}, ...}`."""
    return json.dumps(
        {
            kind.value: {priority.value: str(target) for priority, target in cells.items()}
            for kind, cells in targets.items()
            if cells
        },
        sort_keys=True,
    )


def targets_from_json(text: str | None) -> dict[SlaKind, dict[Priority, Target]]:
    """The targets stored by `targets_to_json`; empty for None."""
    if not text:
        return {}
    return {
        SlaKind(kind): {Priority(p): Target.parse(t) for p, t in cells.items()}
        for kind, cells in json.loads(text).items()
    }
