"""SLA clocks of an incident (docs/sla.md): the response and resolution targets per priority,
the business calendar that measures business days, and the two clocks an incident's history
gives at an instant. Pure. Every instant must be timezone-aware; instants returned are in UTC."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


_DAY_NAMES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_HOURS_TEXT = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


def _aware(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {instant.isoformat()}")
    return instant.astimezone(UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Paris or UTC"
        ) from error


def _parse_hours(hours: str) -> tuple[time, time]:
    match = _HOURS_TEXT.fullmatch(hours)
    if match is None:
        raise ValueError(f"working hours must look like 09:00-17:00, got {hours!r}")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    try:
        return time(h1, m1), time(h2, m2)
    except ValueError as error:
        raise ValueError(
            f"working hours {hours!r} name a time of day that does not exist"
        ) from error


def _day_number(name: str, days: str) -> int:
    if name not in _DAY_NAMES:
        raise ValueError(
            f"unknown day {name!r} in working days {days!r}: use {', '.join(_DAY_NAMES)}, "
            "as in MON-FRI or MON,TUE,THU"
        )
    return _DAY_NAMES.index(name)


def _parse_days(days: str) -> frozenset[int]:
    numbers: set[int] = set()
    for part in days.upper().split(","):
        first, _, last = (piece.strip() for piece in part.partition("-"))
        day, end = _day_number(first, days), _day_number(last or first, days)
        numbers.add(day)
        while day != end:  # a range may wrap past Sunday: FRI-MON
            day = (day + 1) % 7
            numbers.add(day)
    return frozenset(numbers)


def _parse_holidays(holidays: str) -> frozenset[date]:
    found: set[date] = set()
    for item in (piece.strip() for piece in holidays.split(",")):
        if not item:
            continue
        try:
            found.add(date.fromisoformat(item))
        except ValueError as error:
            raise ValueError(f"holiday {item!r} is not a date like 2025-12-25") from error
    return frozenset(found)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours (local wall time of `timezone`) on working days (0 = Monday), minus
    holidays. Hours close after they open on the same day."""

    timezone: str
    opens: time
    closes: time
    working_days: frozenset[int]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        _zone(self.timezone)
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("working hours are local times of the calendar's zone, without zone")
        if self.closes <= self.opens:
            raise ValueError(
                f"working hours must close after they open on the same day, got "
                f"{self.opens.isoformat('minutes')}-{self.closes.isoformat('minutes')}"
            )
        if not self.working_days:
            raise ValueError("a business calendar needs at least one working day")
        if not self.working_days <= frozenset(range(7)):
            raise ValueError(f"working days are 0 (Monday) to 6, got {sorted(self.working_days)}")

    @classmethod
    def parse(
        cls,
        hours: str = "09:00-17:00",
        days: str = "MON-FRI",
        timezone: str = "UTC",
        holidays: str = "",
    ) -> BusinessCalendar:
        """The calendar the settings describe: hours "09:00-17:00", days "MON-FRI" or
        "MON,TUE,THU", an IANA zone, holidays as comma-separated ISO dates. Raises ValueError
        naming what is wrong."""
        opens, closes = _parse_hours(hours)
        return cls(timezone.strip(), opens, closes, _parse_days(days), _parse_holidays(holidays))

    @property
    def working_day_seconds(self) -> int:
        """The length of one working day in seconds: one business day (28800 for 09:00-17:00)."""
        length = datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)
        return int(length.total_seconds())

    def business_seconds(self, start: datetime, end: datetime) -> float:
        """The business time between two aware instants, in seconds (0 if `end <= start`).
        O(days between them)."""
        first, last = _aware(start, "start"), _aware(end, "end")
        return self._between(first, last).total_seconds() if last > first else 0.0

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The earliest instant (UTC) at which `seconds` of business time have elapsed since
        `start`: inside working hours, or their close; `start` itself for 0. O(days added)."""
        if seconds < 0:
            raise ValueError(f"cannot add a negative business time, got {seconds}")
        return self._advance(_aware(start, "start"), timedelta(seconds=seconds))

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day.weekday() not in self.working_days or day in self.holidays:
            return None
        zone = ZoneInfo(self.timezone)
        opens = datetime.combine(day, self.opens, zone).astimezone(UTC)
        return opens, max(opens, datetime.combine(day, self.closes, zone).astimezone(UTC))

    def _local_day(self, instant: datetime) -> date:
        return instant.astimezone(ZoneInfo(self.timezone)).date()

    def _between(self, start: datetime, end: datetime) -> timedelta:
        # exact (whole microseconds) so that clocks agree with themselves at any instant
        total, day, last = timedelta(), self._local_day(start), self._local_day(end)
        while day <= last:
            window = self._window(day)
            if window is not None and min(window[1], end) > max(window[0], start):
                total += min(window[1], end) - max(window[0], start)
            day += timedelta(days=1)
        return total

    def _advance(self, start: datetime, amount: timedelta) -> datetime:
        day = self._local_day(start)
        while amount > timedelta():
            window = self._window(day)
            if window is not None and window[1] > max(window[0], start):
                begin = max(window[0], start)
                if amount <= window[1] - begin:
                    return begin + amount
                amount -= window[1] - begin
            day += timedelta(days=1)
        return start


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
        moment = _aware(at, f"transitions[{index}]")
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
    opened = _aware(opened_at, "opened_at")
    now = max(_aware(now, "now"), opened)
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
