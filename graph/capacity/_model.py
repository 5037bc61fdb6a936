"""What the capacity repository answers with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["Capacity", "Figure", "Hotspot", "Reading", "capacity_key", "reading_key"]


@dataclass(frozen=True)
class Capacity:
    """How much of a metric a CI has, and the fraction of it past which it is a hotspot."""

    ci_id: str
    metric: str
    capacity: float
    unit: str
    threshold: float
    """A fraction of `capacity`, in (0, 1]."""


@dataclass(frozen=True)
class Reading:
    """One utilisation reading of a CI's metric, at an instant."""

    ci_id: str
    metric: str
    value: float
    at: datetime


@dataclass(frozen=True)
class Hotspot:
    """A CI whose latest utilisation of a metric is above a threshold."""

    ci_id: str
    ci_name: str
    capacity: Capacity
    latest: Reading
    forecast: date | None
    """The day the trend crosses the CI's own threshold; None when flat, falling or above."""
    service_ids: tuple[str, ...] = ()
    """The business services that depend on the CI, by name."""

    @property
    def utilisation(self) -> float:
        """The latest reading as a fraction of capacity."""
        return self.latest.value / self.capacity.capacity


@dataclass(frozen=True)
class Figure:
    """A CI's capacity of a metric with its latest reading, as the CI shows it."""

    capacity: Capacity
    latest: Reading | None
    """None until a reading is recorded."""

    @property
    def utilisation(self) -> float | None:
        """The latest reading as a fraction of capacity; None without a reading."""
        return None if self.latest is None else self.latest.value / self.capacity.capacity


def capacity_key(ci_id: str, metric: str) -> str:
    """The unique key of a CI's capacity of a metric (migration V0012)."""
    return f"{ci_id}\x1f{metric}"


def reading_key(ci_id: str, metric: str, at: datetime) -> str:
    """The unique key of a CI's reading of a metric at an instant (migration V0012)."""
    return f"{ci_id}\x1f{metric}\x1f{at.isoformat()}"
