"""A clock that tests move by hand: the product tells time only by its injected Clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["MovableClock"]


class MovableClock:
    """Stands still at `start` until `advance` or `set` moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock's time must be timezone-aware")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)

    def advance(self, **amount: float) -> datetime:
        """Moves on by `timedelta(**amount)`; returns the new time."""
        self._now += timedelta(**amount)
        return self._now
