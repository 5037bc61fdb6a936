"""SLA clocks of an incident (docs/sla.md): the response and resolution targets per priority,
and the two clocks an incident's history gives at an instant (business days are measured by
the calendar of `_calendar.py`). Pure. Every instant must be timezone-aware; instants
returned are in UTC."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from types import MappingProxyType

from graph.domain._calendar import BusinessCalendar, aware
from graph.domain._incidents import IncidentState, Priority

__all__ = [
    "DEFAULT_TARGETS",
    "BusinessCalendar",
    "SlaClock",
    "SlaKind",
    "SlaTargets",
    "Target",
    "TargetUnit",
    "breach_at",
    "sla_clocks",
    "targets_with",
]


class SlaKind(Enum):
    RESPONSE = "RESPONSE"
    RESOLUTION = "RESOLUTION"


class TargetUnit(Enum):
    MINUTES = "MINUTES"
    HOURS = "HOURS"
    DAYS = "DAYS"
    BUSINESS_DAYS = "BUSINESS_DAYS"


_WALL_SECONDS = {TargetUnit.MINUTES: 60, TargetUnit.HOURS: 3600, TargetUnit.DAYS: 86400}
_WORDS = {
    TargetUnit.MINUTES: ("minute", "m", "min", "mins"),
    TargetUnit.HOURS: ("hour", "h", "hr", "hrs"),
    TargetUnit.DAYS: ("day", "d"),
    TargetUnit.BUSINESS_DAYS: ("business day", "bd"),
}
_UNIT_OF = {
    spelling: unit
    for unit, words in _WORDS.items()
    for spelling in (*words, words[0] + "s", unit.value.lower().replace("_", " "))
}
_TARGET_TEXT = re.compile(r"(\d+)\s*([a-z]+(?:[ _]+[a-z]+)?)")


@dataclass(frozen=True)
class Target:
    """How long a clock may run: wall-clock time (24x7), or business days of a calendar."""

    amount: int
    unit: TargetUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise ValueError(f"a target must be a whole number of at least 1, got {self.amount!r}")

    @property
    def business(self) -> bool:
        """True when the target is measured in business time rather than wall-clock time."""
        return self.unit is TargetUnit.BUSINESS_DAYS

    def seconds(self, calendar: BusinessCalendar) -> int:
        """The target's length in its clock's own time: wall seconds, or business seconds
        (`calendar.working_day_seconds` per business day)."""
        if self.business:
            return self.amount * calendar.working_day_seconds
        return self.amount * _WALL_SECONDS[self.unit]

    def __str__(self) -> str:
        word = _WORDS[self.unit][0]
        return f"{self.amount} {word}" + ("" if self.amount == 1 else "s")

    @classmethod
    def parse(cls, text: str) -> Target:
        """The target `text` names: "15m", "4h", "3d", "1bd" or "15 minutes", "4 hours",
        "3 days", "1 business day". Raises ValueError naming the text otherwise."""
        match = _TARGET_TEXT.fullmatch(text.strip().lower())
        unit = _UNIT_OF.get(re.sub(r"[ _]+", " ", match.group(2))) if match else None
        if match is None or unit is None:
            raise ValueError(
                f"a target is a whole number and a unit: 15m, 4h, 3d or 1bd (or 15 minutes, "
                f"4 hours, 3 days, 1 business day); got {text!r}"
            )
        return cls(int(match.group(1)), unit)


SlaTargets = Mapping[SlaKind, Mapping[Priority, Target]]
"""A target for every SLA kind and every priority."""


def _freeze(targets: Mapping[SlaKind, Mapping[Priority, Target]]) -> SlaTargets:
    missing = [f"{k.value} {p.value}" for k in SlaKind for p in Priority if p not in targets[k]]
    if missing:
        raise ValueError(f"SLA targets are missing for {', '.join(missing)}")
    return MappingProxyType({kind: MappingProxyType(dict(targets[kind])) for kind in SlaKind})


def _row(*texts: str) -> dict[Priority, Target]:
    return dict(zip(Priority, map(Target.parse, texts), strict=True))


DEFAULT_TARGETS: SlaTargets = _freeze(
    {
        SlaKind.RESPONSE: _row("15m", "30m", "4h", "1bd", "3bd"),
        SlaKind.RESOLUTION: _row("4h", "8h", "3d", "5d", "10d"),
    }
)
"""The ITIL-style defaults, P1 to P5: response 15 minutes, 30 minutes, 4 hours, 1 and 3 business
days; resolution 4 hours, 8 hours, 3, 5 and 10 days."""


def targets_with(
    overrides: Mapping[SlaKind, Mapping[Priority, Target]], base: SlaTargets = DEFAULT_TARGETS
) -> SlaTargets:
    """`base` (the defaults) with the cells `overrides` names replaced: a new read-only
    mapping. Raises ValueError if a cell of the result is missing."""
    return _freeze({kind: {**base.get(kind, {}), **overrides.get(kind, {})} for kind in SlaKind})


@dataclass(frozen=True)
class SlaClock:
    """One SLA clock of an incident at an evaluation instant (docs/sla.md)."""

    kind: SlaKind
    target: Target
    target_seconds: int
    elapsed_seconds: float
    remaining_seconds: float
    due_at: datetime | None
    breached: bool
    breached_at: datetime | None
    paused: bool
    stopped_at: datetime | None


class _Mode(Enum):
    RUNNING = "RUNNING"
    PAUSED = "PAUSED"
    STOPPED = "STOPPED"


_RESOLUTION_MODE = {
    IncidentState.NEW: _Mode.RUNNING,
    IncidentState.IN_PROGRESS: _Mode.RUNNING,
    IncidentState.ON_HOLD: _Mode.PAUSED,
    IncidentState.RESOLVED: _Mode.STOPPED,
    IncidentState.CLOSED: _Mode.STOPPED,
    IncidentState.CANCELLED: _Mode.STOPPED,
}


def _history(
    opened: datetime, transitions: Sequence[tuple[IncidentState, datetime]], now: datetime
) -> list[tuple[IncidentState, datetime]]:
    history, previous = [(IncidentState.NEW, opened)], opened
    for index, (state, at) in enumerate(transitions):
        moment = aware(at, f"transitions[{index}]")
        if moment < previous:
            raise ValueError(
                f"transitions must be in time order and not before opened_at: {state.value} at "
                f"{moment.isoformat()} comes before {previous.isoformat()}"
            )
        previous = moment
        if moment <= now:
            history.append((state, moment))
    return history


def _clock(
    kind: SlaKind,
    target: Target,
    calendar: BusinessCalendar,
    modes: list[tuple[_Mode, datetime]],
    now: datetime,
) -> SlaClock:
    span: Callable[[datetime, datetime], timedelta] = calendar._between
    advance: Callable[[datetime, timedelta], datetime] = calendar._advance
    if not target.business:
        span, advance = (lambda a, b: b - a), (lambda a, amount: a + amount)
    target_seconds = target.seconds(calendar)
    allowed, elapsed = timedelta(seconds=target_seconds), timedelta()
    reached: datetime | None = None  # the instant elapsed reached the target
    late, stopped_at = False, None
    for (mode, start), (_, end) in zip(modes, [*modes[1:], (_Mode.STOPPED, now)], strict=True):
        stopped_at = (stopped_at or start) if mode is _Mode.STOPPED else None
        if mode is not _Mode.RUNNING:
            continue
        part = span(start, end)
        if reached is None and elapsed + part >= allowed:
            reached = min(advance(start, allowed - elapsed), end)
        elapsed += part
        # breached = still running after the instant the target was reached, not elapsed >
        # target: a business clock due at 17:00 and running at 19:00 is late though no
        # business time passed since; so `breached` agrees with `breach_at` at every instant
        late = late or (reached is not None and end > max(start, reached))
    running = modes[-1][0] is _Mode.RUNNING
    due_at = (reached or advance(now, allowed - elapsed)) if running else None
    return SlaClock(
        kind=kind,
        target=target,
        target_seconds=target_seconds,
        elapsed_seconds=elapsed.total_seconds(),
        remaining_seconds=target_seconds - elapsed.total_seconds(),
        due_at=due_at,
        breached=late,
        breached_at=reached if late else None,
        paused=modes[-1][0] is _Mode.PAUSED,
        stopped_at=stopped_at,
    )


def sla_clocks(
    priority: Priority,
    opened_at: datetime,
    transitions: Sequence[tuple[IncidentState, datetime]],
    now: datetime,
    calendar: BusinessCalendar,
    targets: SlaTargets = DEFAULT_TARGETS,
) -> tuple[SlaClock, SlaClock]:
    """The (response, resolution) clocks at `now` of an incident opened NEW at `opened_at`
    that then entered each state of `transitions` (in time order) at its instant; transitions
    after `now` are not counted, and a `now` before `opened_at` counts as `opened_at`. Raises
    ValueError for a naive instant or transitions out of order. O(transitions + days)."""
    opened = aware(opened_at, "opened_at")
    now = max(aware(now, "now"), opened)
    history = _history(opened, transitions, now)
    left_new = next((at for state, at in history if state is not IncidentState.NEW), None)
    response = [(_Mode.RUNNING, opened)] + ([] if left_new is None else [(_Mode.STOPPED, left_new)])
    resolution = [(_RESOLUTION_MODE[state], at) for state, at in history]
    return (
        _clock(SlaKind.RESPONSE, targets[SlaKind.RESPONSE][priority], calendar, response, now),
        _clock(
            SlaKind.RESOLUTION, targets[SlaKind.RESOLUTION][priority], calendar, resolution, now
        ),
    )


def breach_at(clocks: Iterable[SlaClock]) -> datetime | None:
    """The earliest instant at which any of `clocks` breached (its `breached_at`) or will
    breach if nothing changes (the `due_at` of a running clock); None when none will."""
    moments = [clock.breached_at if clock.breached else clock.due_at for clock in clocks]
    return min((moment for moment in moments if moment is not None), default=None)
