"""The business calendar (docs/sla.md, "Business time"): working hours on working days in a
time zone, minus holidays; what measures the SLA targets given in business days. Pure. Every
instant must be timezone-aware; instants returned are in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["BusinessCalendar", "aware"]

_DAY_NAMES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_HOURS_TEXT = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


def aware(instant: datetime, name: str) -> datetime:
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
        first, last = aware(start, "start"), aware(end, "end")
        return self._between(first, last).total_seconds() if last > first else 0.0

    def add_business_seconds(self, start: datetime, seconds: float) -> datetime:
        """The earliest instant (UTC) at which `seconds` of business time have elapsed since
        `start`: inside working hours, or their close; `start` itself for 0. O(days added)."""
        if seconds < 0:
            raise ValueError(f"cannot add a negative business time, got {seconds}")
        return self._advance(aware(start, "start"), timedelta(seconds=seconds))

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
