"""What the CMDB health lists return (docs/concepts.md, "CMDB health"): one page of orphans,
stale CIs, stale relationships or incomplete CIs, and the bound on "stale after" days. The
repository and its Cypher are in `graph/cis/_health.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Generic, TypeVar

from graph.cis._relationships import Relationship
from graph.cis._repository import PageKey
from graph.domain import CI
from graph.errors import FieldError, InvalidInput

__all__ = [
    "MAX_STALE_AFTER_DAYS",
    "HealthPage",
    "IncompleteCI",
    "RequiredAttribute",
    "StaleCI",
    "StaleRelationship",
    "check_stale_after_days",
]

T = TypeVar("T")

MAX_STALE_AFTER_DAYS = 36_500


class RequiredAttribute(Enum):
    """What a production CI must have; the value is the CI's property."""

    OWNER = "owner"
    SUPPORT_GROUP = "supportGroup"
    CRITICALITY = "criticality"


@dataclass(frozen=True)
class StaleCI:
    ci: CI
    last_confirmed_at: datetime
    """`lastConfirmedAt` as the import set it, else the CI's `updatedAt`."""


@dataclass(frozen=True)
class StaleRelationship:
    relationship: Relationship


@dataclass(frozen=True)
class IncompleteCI:
    ci: CI
    missing: tuple[RequiredAttribute, ...]


@dataclass(frozen=True)
class HealthPage(Generic[T]):
    items: tuple[T, ...]
    positions: tuple[PageKey, ...]
    """Each item's position: what the same list takes as `after` to continue after it."""
    has_next: bool


def check_stale_after_days(days: int) -> None:
    """Raises `InvalidInput` unless `days` is 1 .. MAX_STALE_AFTER_DAYS."""
    if not 1 <= days <= MAX_STALE_AFTER_DAYS:
        raise InvalidInput(
            [
                FieldError(
                    "staleAfterDays",
                    f"must be between 1 and {MAX_STALE_AFTER_DAYS}, got {days}",
                    "OUT_OF_RANGE",
                )
            ]
        )
