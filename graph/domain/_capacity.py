"""Capacity rules: the least-squares linear trend of utilisation readings, and the day the trend
crosses a threshold (docs/service-levels.md, "Capacity"). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

__all__ = ["FORECAST_WINDOW", "Trend", "crossing_date", "linear_trend"]

FORECAST_WINDOW = timedelta(days=90)
"""The readings a forecast fits: those of the last 90 days."""


@dataclass(frozen=True)
class Trend:
    """value = intercept + slope * (seconds since `origin`)."""

    origin: datetime
    intercept: float
    slope: float
    """Per second."""

    def crossing(self, value: float) -> datetime | None:
        """When the trend reaches `value`, or None when it is flat or falling."""
        if self.slope <= 0:
            return None
        return self.origin + timedelta(seconds=(value - self.intercept) / self.slope)


def linear_trend(readings: Sequence[tuple[datetime, float]]) -> Trend | None:
    """The least-squares line through `readings` (instant, value), or None with fewer than two
    distinct instants."""
    if len({at for at, _ in readings}) < 2:
        return None
    origin = min(at for at, _ in readings)
    xs = [(at - origin).total_seconds() for at, _ in readings]
    ys = [value for _, value in readings]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    return Trend(origin, mean_y - slope * mean_x, slope)


def crossing_date(
    readings: Sequence[tuple[datetime, float]], limit: float, now: datetime
) -> date | None:
    """The day (UTC) the linear trend of the readings of the last 90 days before `now` is
    forecast to pass `limit`: None when the trend is flat or falling, when there are too few
    readings, or when the latest reading is above `limit` already."""
    recent = [(at, value) for at, value in readings if now - FORECAST_WINDOW <= at <= now]
    if not recent or max(recent)[1] > limit:
        return None
    trend = linear_trend(recent)
    crossing = trend.crossing(limit) if trend else None
    return crossing.astimezone(UTC).date() if crossing else None
