"""The least-squares trend of readings and the day it crosses a limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from graph.domain import crossing_date, linear_trend

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return datetime(2026, 3, n, 12, 0, tzinfo=UTC)


def test_a_rising_line_crosses_its_limit_on_the_day_it_is_extended_to() -> None:
    readings = [(day(1), 50.0), (day(2), 55.0), (day(3), 60.0)]

    assert crossing_date(readings, 80.0, NOW) == date(2026, 3, 7)


def test_the_least_squares_slope_of_scattered_readings() -> None:
    trend = linear_trend([(day(1), 1.0), (day(2), 3.0), (day(3), 2.0), (day(4), 4.0)])

    assert trend is not None
    assert round(trend.slope * 86400, 6) == 0.8
    assert round(trend.intercept, 6) == 1.3


def test_a_falling_or_flat_line_has_no_crossing() -> None:
    assert crossing_date([(day(1), 70.0), (day(2), 65.0)], 80.0, NOW) is None
    assert crossing_date([(day(1), 70.0), (day(2), 70.0)], 80.0, NOW) is None


def test_a_line_above_its_limit_already_has_no_crossing() -> None:
    assert crossing_date([(day(1), 70.0), (day(2), 90.0)], 80.0, NOW) is None


def test_readings_older_than_ninety_days_are_left_out() -> None:
    old = NOW - timedelta(days=91)
    readings = [(old, 0.0), (day(1), 50.0), (day(2), 55.0), (day(3), 60.0)]

    assert crossing_date(readings, 80.0, NOW) == date(2026, 3, 7)


def test_one_reading_gives_no_trend() -> None:
    assert linear_trend([(day(1), 50.0)]) is None
    assert crossing_date([(day(1), 50.0)], 80.0, NOW) is None
