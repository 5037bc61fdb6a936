"""The columns a topology is built from, its numbering of CIs and its edge orders (`_arrays.py`
builds on them, `_patch.py` edits them)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from graph.domain import CIClass, RelationType

__all__ = [
    "ALL_MEMBERS",
    "CLASSES",
    "CLASS_OF_LABEL",
    "CODE_OF_TYPE",
    "MAX_VIEWS",
    "NO_CRITICALITY",
    "NO_POOL",
    "RELATION_CODES",
    "SERVICE_CODES",
    "CIIndex",
    "CISummary",
    "EdgeColumns",
    "Edges",
    "Flags",
    "Ints",
    "NodeColumns",
    "Small",
    "sorted_edges",
]

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
Small = npt.NDArray[np.int8]

CLASSES = tuple(CIClass)
CLASS_CODES = {c: i for i, c in enumerate(CLASSES)}
RELATION_CODES = {t: i for i, t in enumerate(RelationType)}
SERVICE_CODES = (CLASS_CODES[CIClass.BUSINESS_SERVICE], CLASS_CODES[CIClass.TECHNICAL_SERVICE])
NO_POOL = -1
MAX_VIEWS = 4
"""Views kept per topology: the default scope and a few others (32 type sets x 2 exist)."""
ALL_MEMBERS = np.iinfo(np.int64).min
"""A pool's minOperational when none is set: every member is needed."""
NO_CRITICALITY = 5
"""Sorts after criticality 4 (low): a CI without one is listed last among services."""
CLASS_OF_LABEL = {c.label: i for i, c in enumerate(CLASSES)}
CODE_OF_TYPE = {t.value: code for t, code in RELATION_CODES.items()}


@dataclass(frozen=True)
class CISummary:
    """Who a CI is, as the projection knows it: enough to list it without reading it whole."""

    id: str
    name: str
    ci_class: CIClass


@dataclass(frozen=True)
class NodeColumns:
    """Every CI, as columns (the loader reads them so); classes are labels, statuses names."""

    ids: Sequence[str]
    names: Sequence[str]
    labels: Sequence[str]
    statuses: Sequence[str]
    criticality: Sequence[int | None]
    min_operational: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Per CI id that has any: members needed per redundancy group."""
    keys: Sequence[str] | None = None
    """What the edge columns name the CIs by, if not their ids (Neo4j's element ids: reading
    those costs Neo4j no property read, and half the time for 400,000 edges)."""


@dataclass(frozen=True)
class EdgeColumns:
    """Every dependency edge, as columns: from the dependent CI to the one it depends on."""

    sources: Sequence[str]
    targets: Sequence[str]
    """CI ids, or the node columns' keys when they have some."""
    types: Sequence[str]
    """Relationship type names."""
    groups: Sequence[str | None]


class CIIndex(Mapping[str, int]):
    """CI id -> index. A delta renumbers CIs by moving an array, not by rebuilding a dict of
    every id: ids map to slots (`slots`, shared by the topologies of one load and only ever
    added to), slots to indices (`position`, one array per topology; -1 for a CI not in it)."""

    def __init__(self, slots: dict[str, int], position: Ints, ids: Sequence[str]) -> None:
        self.slots = slots
        self.position = position
        self._ids = ids

    def get(self, ci_id: str, default: int | None = None) -> int | None:  # type: ignore[override]
        slot = self.slots.get(ci_id)
        if slot is None or slot >= len(self.position):
            return default
        found = int(self.position[slot])
        return default if found < 0 else found

    def __getitem__(self, ci_id: str) -> int:
        found = self.get(ci_id)
        if found is None:
            raise KeyError(ci_id)
        return found

    def __contains__(self, ci_id: object) -> bool:
        return isinstance(ci_id, str) and self.get(ci_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def sorted_edges(source: Ints, target: Ints, kind: Small, pool: Ints, by_target: bool) -> Edges:
    order = np.lexsort((pool, source, target) if by_target else (pool, target, source))
    return Edges(source[order], target[order], kind[order], pool[order])


@dataclass(frozen=True)
class Edges:
    """Edge columns in one order: (source, target, pool) or (target, source, pool)."""

    source: Ints
    target: Ints
    kind: Small
    pool: Ints
