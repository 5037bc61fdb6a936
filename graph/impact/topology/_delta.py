"""A topology delta as the projection reads it from the log (graph/_topology_version.py
writes it): the state of every CI one committed write touched, or, for a large write, their
ids (`read_back`), whose states the projection reads itself (`_read_back.py`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.domain import CIClass, CIStatus
from graph.impact.topology._columns import CLASS_OF_LABEL, CODE_OF_TYPE, NO_CRITICALITY

__all__ = ["CIState", "TopologyDelta", "delta_from_row", "folded", "states_from_row"]

_UNKNOWN_CLASS = CLASS_OF_LABEL[CIClass.SOFTWARE.label]


@dataclass(frozen=True)
class CIState:
    """A CI as the projection holds it, with its current outgoing dependency edges."""

    name: str
    ci_class: int
    retired: bool
    criticality: int
    edges: tuple[tuple[str, int, str], ...] = ()
    """(target id, relation code, redundancy group or '')."""
    pools: Mapping[str, int] = field(default_factory=dict)
    """minOperational per redundancy group."""


@dataclass(frozen=True)
class TopologyDelta:
    """One committed write's delta: the state of every CI it touched (None: gone)."""

    seq: int
    states: Mapping[str, CIState | None]
    counts: tuple[int, ...]
    reload: bool = False
    """Asked by `cmdb refresh-topology`: reload whole, in the background."""
    read_back: tuple[str, ...] = ()
    """The CIs the write touched whose states the delta does not carry (a large write)."""


def folded(deltas: Sequence[TopologyDelta]) -> dict[str, CIState | None]:
    """The states of consecutive deltas as one: the latest state of each CI."""
    states: dict[str, CIState | None] = {}
    for delta in deltas:
        states.update(delta.states)
    return states


def delta_from_row(row: Mapping[str, Any]) -> TopologyDelta:
    """The delta of a `TopologyDelta` node's properties. O(its CIs and edges)."""
    if row.get("readBack"):
        return TopologyDelta(
            int(row["seq"]),
            {},
            tuple(int(n) for n in row["counts"]),
            bool(row["reload"]),
            read_back=tuple(row["ids"]),
        )
    return TopologyDelta(
        int(row["seq"]),
        states_from_row(row),
        tuple(int(n) for n in row["counts"]),
        bool(row["reload"]),
    )


def states_from_row(row: Mapping[str, Any]) -> dict[str, CIState | None]:
    """The CI states of a delta's lists (or of `READ_BACK`'s). O(its CIs and edges)."""
    pools: dict[str, dict[str, int]] = {}
    for ci_id, group, needed in zip(
        row["poolCis"], row["poolGroups"], row["poolNeeded"], strict=True
    ):
        pools.setdefault(ci_id, {})[group] = int(needed)
    edges: dict[str, list[tuple[str, int, str]]] = {}
    for source, target, kind, group in zip(
        row["edgeSources"], row["edgeTargets"], row["edgeTypes"], row["edgeGroups"], strict=True
    ):
        edges.setdefault(source, []).append((target, CODE_OF_TYPE[kind], group))
    states: dict[str, CIState | None] = {}
    retired = CIStatus.RETIRED.value
    for ci_id, name, label, status, criticality in zip(
        row["ids"], row["names"], row["classes"], row["statuses"], row["criticality"], strict=True
    ):
        states[ci_id] = CIState(
            name,
            CLASS_OF_LABEL.get(label, _UNKNOWN_CLASS),
            status == retired,
            int(criticality) or NO_CRITICALITY,
            tuple(edges.get(ci_id, ())),
            pools.get(ci_id, {}),
        )
    for ci_id in row["missing"]:
        states[ci_id] = None
    return states
