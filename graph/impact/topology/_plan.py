"""How a delta moves the CIs of a topology (`_patch.py`): which stay in place, which leave,
which take a new place, whose outgoing edges change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from graph.impact.topology._arrays import Topology
from graph.impact.topology._columns import ALL_MEMBERS, Flags
from graph.impact.topology._delta import CIState

__all__ = ["Plan", "marks", "plan"]


def _same_attributes(t: Topology, node: int, state: CIState) -> bool:
    return (
        t.names[node] == state.name
        and int(t.ci_class[node]) == state.ci_class
        and bool(t.retired[node]) == state.retired
        and int(t.criticality[node]) == state.criticality
    )


def _same_edges(t: Topology, node: int, state: CIState) -> bool:
    """Whether the topology holds `node`'s outgoing edges and pools as `state` has them."""
    f = t.forward
    lo, hi = np.searchsorted(f.source, [node, node + 1])
    pools = f.pool[lo:hi].tolist()
    held = sorted(
        (t.ids[target], int(kind), t.pool_group[pool] if pool >= 0 else "")
        for target, kind, pool in zip(
            f.target[lo:hi].tolist(), f.kind[lo:hi].tolist(), pools, strict=True
        )
    )
    if held != sorted(state.edges):
        return False
    return all(
        state.pools.get(t.pool_group[pool], ALL_MEMBERS) == int(t.pool_asked[pool])
        for pool in set(pools)
        if pool >= 0
    )


def _fits(t: Topology, node: int, ci_id: str, name: str) -> bool:
    """Whether `node`, renamed `name`, keeps its place in (name, id) order."""
    key = (name, ci_id)
    before = node == 0 or (t.names[node - 1], t.ids[node - 1]) < key
    return before and (node == t.size - 1 or key < (t.names[node + 1], t.ids[node + 1]))


@dataclass
class Plan:
    """How a delta moves the CIs: who stays in place, who leaves, who takes a new place."""

    in_place: list[tuple[int, str]] = field(default_factory=list)
    leaving: list[int] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)
    changed_edges: list[int] = field(default_factory=list)
    """Old indices whose outgoing edges (or pools) the delta replaces."""


def plan(t: Topology, states: Mapping[str, CIState | None]) -> Plan:
    found = Plan()
    names = t.names
    # A renamed CI may keep its place only when it is the one CI of the delta that takes a
    # name the topology does not hold: its neighbours' and newcomers' places are then known.
    renamed = [
        ci_id
        for ci_id, state in states.items()
        if state is not None and ((at := t.index.get(ci_id)) is None or names[at] != state.name)
    ]
    for ci_id, state in states.items():
        old = t.index.get(ci_id)
        if state is None:
            if old is not None:
                found.gone.append(old)
                found.leaving.append(old)
                found.changed_edges.append(old)
        elif old is None:
            found.placed.append(ci_id)
        elif names[old] == state.name or (len(renamed) == 1 and _fits(t, old, ci_id, state.name)):
            same_edges = _same_edges(t, old, state)
            if not same_edges:
                found.changed_edges.append(old)
            if not same_edges or not _same_attributes(t, old, state):
                found.in_place.append((old, ci_id))
        else:
            found.leaving.append(old)
            found.changed_edges.append(old)
            found.placed.append(ci_id)
    return found


def marks(size: int, nodes: Sequence[int]) -> Flags:
    """Per node, whether it is among `nodes`; one more entry, never marked, for index -1."""
    marks = np.zeros(size + 1, dtype=np.bool_)
    marks[np.array(nodes, dtype=np.int64)] = True
    return marks
