"""An import's plan: what each valid row becomes, decided before anything is written.

The plan says, per valid CI row, which CI it is (an existing one, or a new id chosen for it so
that a retried write creates the same CI), and per valid relationship row, the two CIs it
joins. Invalid rows become `RowError`s. `graph/imports/_planner.py` makes the plan; the CI rows
are planned by `_plan_cis.py`, the relationship rows by `_plan_relationships.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.domain import RelationType
from graph.errors import FieldError
from graph.imports._identify import IdentityKey
from graph.imports._model import ImportCapacity, ImportSection, Observation, RowError

__all__ = ["ImportPlan", "PlannedCI", "PlannedRelationship", "RowFailures"]


@dataclass(frozen=True)
class PlannedCI:
    index: int
    ci_id: str
    label: str
    name: str
    exists: bool
    properties: dict[str, Any]
    """Validated values to store (None-free), with `class` and `minOperational.<group>`."""
    given: tuple[str, ...]
    """The properties the row sets on an existing CI: those it states (defaults excluded)."""
    external_ids: tuple[str, ...]
    """Entries for `externalIds`: the import source's own (unless identified by CI id), then
    other sources' ones the row states."""
    keys: tuple[IdentityKey, ...] = ()
    """The identity keys the row claims when it creates the CI (`identity_keys`)."""
    capacity: tuple[ImportCapacity, ...] = ()
    """The capacity figures the row states (`_capacity.py`)."""


@dataclass(frozen=True)
class PlannedRelationship:
    index: int
    from_id: str
    to_id: str
    type: RelationType
    from_name: str
    to_name: str
    confidence: float | None
    redundancy_group: str | None
    new_end: bool = False
    """An end is a CI this import creates: the edge cannot exist yet."""
    observation: Observation | None = None


@dataclass(frozen=True)
class ImportPlan:
    cis: list[PlannedCI] = field(default_factory=list)
    relationships: list[PlannedRelationship] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    failed_cis: int = 0
    failed_relationships: int = 0


class RowFailures:
    """The rows refused so far, with their errors."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.failed: set[tuple[ImportSection, int]] = set()

    def fail(
        self, section: ImportSection, index: int, line: int | None, ref: str | None, e: FieldError
    ) -> None:
        self.errors.append(RowError(section, index, line, ref, e.field, e.message, e.code))
        self.failed.add((section, index))

    def count(self, section: ImportSection) -> int:
        return sum(1 for failed_section, _ in self.failed if failed_section is section)
