"""The windows changes are scheduled against (docs/changes.md, "Windows"): freeze (blackout)
windows, one-off periods in which nothing should change, and the weekly maintenance windows of
CIs, recurring in a time zone. Pure. Every instant is timezone-aware; instants returned are in
UTC. A window is half-open: `[start, end)`, so one that ends at 04:00 and one that starts at
04:00 do not overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from graph.domain._calendar import _parse_days
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_SCHEDULE_DAYS",
    "MAX_WINDOW_NAME",
    "BlackoutWindow",
    "MaintenanceWindow",
    "check_blackout",
    "check_period",
    "overlaps",
    "parse_maintenance_window",
]

MAX_SCHEDULE_DAYS = 366
"""The longest period `changeSchedule` and `blackoutWindows` answer for."""
MAX_WINDOW_NAME = 200
_CLOCK_TIME = re.compile(r"(\d{2}):(\d{2})")


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    """Whether the half-open windows `[start, end)` and `[other_start, other_end)` share an
    instant."""
    return start < other_end and other_start < end


@dataclass(frozen=True)
class BlackoutWindow:
    """A freeze: no change should be implemented from `start` to `end` on the services it
    covers (and everything they depend on), or anywhere when it covers none."""

    id: str
    name: str
    start: datetime
    end: datetime
    reason: str | None
    service_ids: tuple[str, ...]
    created_at: datetime
    created_by: str

    @property
    def is_global(self) -> bool:
        return not self.service_ids


def _aware(value: datetime, field: str, errors: list[FieldError]) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        errors.append(FieldError(field, "must carry a time zone offset", "INVALID_FORMAT"))


def check_blackout(name: str, start: datetime, end: datetime) -> str:
    """The freeze's name, trimmed. Raises `InvalidInput` for a blank or long name, instants
    without an offset, or an end not after the start."""
    errors: list[FieldError] = []
    trimmed = name.strip()
    if not trimmed:
        errors.append(FieldError("name", "a freeze needs a name", "REQUIRED"))
    elif len(trimmed) > MAX_WINDOW_NAME:
        errors.append(FieldError("name", f"at most {MAX_WINDOW_NAME} characters", "TOO_LONG"))
    naive = len(errors)
    _aware(start, "start", errors)
    _aware(end, "end", errors)
    if len(errors) == naive and end <= start:
        errors.append(FieldError("end", "must be after start", "OUT_OF_RANGE"))
    if errors:
        raise InvalidInput(errors)
    return trimmed


def check_period(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """`(start, end)` in UTC when the period is at most `MAX_SCHEDULE_DAYS` long and ends
    after it starts; raises `InvalidInput` (fields `from`, `to`) otherwise."""
    errors: list[FieldError] = []
    _aware(start, "from", errors)
    _aware(end, "to", errors)
    if not errors and end <= start:
        errors.append(FieldError("to", "must be after from", "OUT_OF_RANGE"))
    elif not errors and end - start > timedelta(days=MAX_SCHEDULE_DAYS):
        errors.append(
            FieldError("to", f"a period spans at most {MAX_SCHEDULE_DAYS} days", "OUT_OF_RANGE")
        )
    if errors:
        raise InvalidInput(errors)
    return start.astimezone(UTC), end.astimezone(UTC)


@dataclass(frozen=True)
class MaintenanceWindow:
    """A CI's weekly maintenance window: it opens at `opens` (local time in `timezone`) on each
    of `days` and closes at `closes`, on the next day when `closes` is not after `opens` (a
    window may wrap past midnight: MON-FRI 22:00-04:00 is open Monday 22:00 to Tuesday 04:00;
    00:00-00:00 is open the whole day).
    Local times follow the zone's daylight saving time: 22:00 is 22:00 on the wall clock,
    summer and winter; a time that does not exist on a spring-forward day is read as the same
    offset as before the jump (02:30 becomes 03:30)."""

    ci_id: str
    days: str
    opens: time
    closes: time
    timezone: str
    id: str = ""

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def _weekdays(self) -> frozenset[int]:
        return _parse_days(self.days)

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        """The window that opens on the local date `day`, in UTC; None when it is closed that
        day."""
        if day.weekday() not in self._weekdays:
            return None
        zone = self._zone
        closes_on = day if self.closes > self.opens else day + timedelta(days=1)
        start = datetime.combine(day, self.opens, tzinfo=zone).astimezone(UTC)
        end = datetime.combine(closes_on, self.closes, tzinfo=zone).astimezone(UTC)
        return start, end

    def openings(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Every opening that shares an instant with `[start, end)`, in order, in UTC.
        Cost: one step per local day of the period (plus one)."""
        zone = self._zone
        day = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date()
        found: list[tuple[datetime, datetime]] = []
        while day <= last:
            window = self.opening(day)
            if window is not None and overlaps(start, end, *window):
                found.append(window)
            day += timedelta(days=1)
        return found

    def contains(self, start: datetime, end: datetime) -> bool:
        """Whether `[start, end)` lies wholly inside the window: inside one opening, or inside
        openings that follow each other without a gap (a window open around the clock)."""
        reach = start
        for opened, closed in self.openings(start, end):
            if opened > reach:
                return False
            reach = max(reach, closed)
            if reach >= end:
                return True
        return False

    def describe(self) -> str:
        return f"{self.days} {self.opens:%H:%M}-{self.closes:%H:%M} {self.timezone}"


def _clock_time(text: str, field: str, errors: list[FieldError]) -> time | None:
    match = _CLOCK_TIME.fullmatch(text.strip())
    if match is not None and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    errors.append(
        FieldError(field, f"must be a time of day like 22:00, got {text!r}", "INVALID_FORMAT")
    )
    return None


def parse_maintenance_window(
    ci_id: str, days: str, opens: str, closes: str, timezone: str
) -> MaintenanceWindow:
    """The maintenance window the user described (one that closes when it opens is open 24
    hours); raises `InvalidInput` naming each bad field (unknown days or zone, malformed
    times)."""
    errors: list[FieldError] = []
    try:
        _parse_days(days)
    except ValueError as error:
        errors.append(FieldError("days", str(error), "INVALID_VALUE"))
    opening = _clock_time(opens, "opens", errors)
    closing = _clock_time(closes, "closes", errors)
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.append(
            FieldError(
                "timezone",
                f"unknown time zone {timezone!r}: use an IANA name such as Europe/Paris or UTC",
                "INVALID_VALUE",
            )
        )
    if errors or opening is None or closing is None:
        raise InvalidInput(errors)
    return MaintenanceWindow(ci_id, days.strip().upper(), opening, closing, timezone)
