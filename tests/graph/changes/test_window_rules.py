"""The window rules without a database: half-open overlap, weekly maintenance windows that
wrap past midnight and follow daylight saving time, and a property test of `contains` against
a minute-by-minute reference."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.domain import (
    MaintenanceWindow,
    check_blackout,
    check_period,
    overlaps,
    parse_maintenance_window,
)
from graph.errors import InvalidInput

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_windows_that_touch_do_not_overlap() -> None:
    assert not overlaps(
        at("2026-03-10T22:00Z"),
        at("2026-03-10T23:00Z"),
        at("2026-03-10T23:00Z"),
        at("2026-03-11T00:00Z"),
    )
    assert overlaps(
        at("2026-03-10T22:00Z"),
        at("2026-03-10T23:00Z"),
        at("2026-03-10T22:59Z"),
        at("2026-03-11T00:00Z"),
    )


def test_a_window_past_midnight_belongs_to_the_day_it_opens() -> None:
    window = parse_maintenance_window("db", "FRI", "22:00", "04:00", "UTC")

    assert window.opening(datetime(2026, 3, 13).date()) == (
        at("2026-03-13T22:00Z"),
        at("2026-03-14T04:00Z"),
    )
    assert window.opening(datetime(2026, 3, 14).date()) is None
    assert window.contains(at("2026-03-14T01:00Z"), at("2026-03-14T04:00Z"))
    assert not window.contains(at("2026-03-14T03:00Z"), at("2026-03-14T05:00Z"))


def test_local_times_follow_daylight_saving_time() -> None:
    window = parse_maintenance_window("db", "SUN", "01:00", "05:00", "Europe/Paris")

    # Winter (UTC+1), the spring-forward night (02:00 -> 03:00: four local hours are three),
    # summer (UTC+2), the fall-back night (03:00 -> 02:00: five real hours).
    assert window.opening(datetime(2026, 3, 22).date()) == (
        at("2026-03-22T00:00Z"),
        at("2026-03-22T04:00Z"),
    )
    assert window.opening(datetime(2026, 3, 29).date()) == (
        at("2026-03-29T00:00Z"),
        at("2026-03-29T03:00Z"),
    )
    assert window.opening(datetime(2026, 4, 5).date()) == (
        at("2026-04-04T23:00Z"),
        at("2026-04-05T03:00Z"),
    )
    assert window.opening(datetime(2026, 10, 25).date()) == (
        at("2026-10-24T23:00Z"),
        at("2026-10-25T04:00Z"),
    )


def test_openings_that_follow_each_other_contain_what_spans_them() -> None:
    weekend = parse_maintenance_window("db", "SAT-SUN", "00:00", "00:00", "UTC")

    assert weekend.contains(at("2026-03-14T11:00Z"), at("2026-03-15T13:00Z"))
    assert weekend.contains(at("2026-03-14T00:00Z"), at("2026-03-16T00:00Z"))
    assert not weekend.contains(at("2026-03-13T23:00Z"), at("2026-03-14T01:00Z"))
    assert not weekend.contains(at("2026-03-15T23:00Z"), at("2026-03-16T00:01Z"))


def test_a_bad_window_names_every_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_maintenance_window("db", "MON-FUN", "24:00", "4", "Nowhere/Town")

    assert [e.field for e in refused.value.errors] == ["days", "opens", "closes", "timezone"]


def test_a_freeze_needs_a_name_an_offset_and_an_end_after_its_start() -> None:
    assert check_blackout("  Quarter end ", at("2026-03-30T00:00Z"), at("2026-04-01T00:00Z")) == (
        "Quarter end"
    )
    with pytest.raises(InvalidInput) as refused:
        check_blackout("", datetime(2026, 3, 30), at("2026-04-01T00:00Z"))
    assert [e.field for e in refused.value.errors] == ["name", "start"]


def test_a_period_is_at_most_366_days() -> None:
    start = at("2026-01-01T00:00Z")
    assert check_period(start, start + timedelta(days=366)) == (start, start + timedelta(days=366))
    with pytest.raises(InvalidInput):
        check_period(start, start + timedelta(days=366, minutes=1))


def reference_contains(window: MaintenanceWindow, start: datetime, end: datetime) -> bool:
    """Every minute of [start, end) inside some opening, checked one minute at a time."""
    openings = window.openings(start - timedelta(days=2), end + timedelta(days=2))
    minute = start
    while minute < end:
        if not any(s <= minute < e for s, e in openings):
            return False
        minute += timedelta(minutes=1)
    return True


def reference_open(window: MaintenanceWindow, instant: datetime) -> bool:
    """Whether the window is open at `instant`, from the wall clock in its zone."""
    local = instant.astimezone(ZoneInfo(window.timezone))
    wraps = window.closes <= window.opens
    days = window._weekdays
    today, now = local.weekday(), local.time().replace(tzinfo=None)
    if not wraps:
        return today in days and window.opens <= now < window.closes
    return (today in days and now >= window.opens) or (
        (today - 1) % 7 in days and now < window.closes
    )


times = st.integers(0, 23).flatmap(
    lambda h: st.sampled_from([0, 30]).map(lambda m: f"{h:02d}:{m:02d}")
)


@settings(max_examples=150, deadline=None)
@given(
    days=st.sampled_from(["MON-FRI", "SAT,SUN", "FRI-MON", "WED"]),
    opens=times,
    closes=times,
    zone=st.sampled_from(["UTC", "Europe/Paris", "America/New_York"]),
    offset=st.integers(0, 60 * 24 * 14),
    length=st.integers(1, 60 * 10),
)
def test_contains_agrees_with_a_minute_by_minute_reference(
    days: str, opens: str, closes: str, zone: str, offset: int, length: int
) -> None:
    window = parse_maintenance_window("db", days, opens, closes, zone)
    # Around the 2026 DST changes of Europe (29 March) and the US (8 March).
    start = at("2026-03-02T00:00Z") + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)

    assert window.contains(start, end) == reference_contains(window, start, end)
    assert any(s <= start < e for s, e in window.openings(start, end)) == reference_open(
        window, start
    ) or _in_gap(window, start)


def _in_gap(window: MaintenanceWindow, instant: datetime) -> bool:
    # A spring-forward day's non-existent local opening or closing time shifts by the jump.
    zone = ZoneInfo(window.timezone)
    return any(
        (instant + timedelta(hours=h)).astimezone(zone).utcoffset()
        != instant.astimezone(zone).utcoffset()
        for h in (-2, 2)
    )
