"""Services in the order a change manager reads them, and pages of that order.

Most critical first (criticality 1 before 4, none last), then the worst state first (DOWN,
DEGRADED, OPERATIONAL), then by name and id (the topology's index order). A page continues
after a keyset position (criticality, state, name, id) rather than an offset: the same
position gives the same next page on the same graph, and after a write it still gives the
services that now sort after it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from graph.domain import State
from graph.impact.topology._arrays import Ints, Topology
from graph.impact.topology._columns import NO_CRITICALITY

__all__ = ["ServicePage", "ServicePosition", "ServiceRanking"]

T = TypeVar("T")

_STATES = (State.OPERATIONAL, State.DEGRADED, State.DOWN)
"""By severity (`State.severity`): what the severities of a ranking stand for."""
_WORST = len(_STATES) - 1


@dataclass(frozen=True)
class ServicePosition:
    """Where a service stands in a ranking: what a page continues after."""

    criticality: int | None
    """1 (mission critical) .. 4 (low), None for none (sorts last)."""
    state: State
    name: str
    id: str


@dataclass(frozen=True)
class ServicePage(Generic[T]):
    items: tuple[T, ...]
    has_next: bool
    total: int
    """How many services the whole ranking holds."""
    ranking: ServiceRanking
    start: int
    """The rank of the first item."""

    def position(self, item: int) -> ServicePosition:
        """The position of `items[item]`: what a page takes as `after` to continue after it
        (worked out when asked: a page whose cursors nobody reads never builds them)."""
        return self.ranking.position(self.start + item)


class ServiceRanking:
    """Some services of a topology (`nodes`, each with its severity: 2 DOWN, 1 DEGRADED,
    0 OPERATIONAL), ranked. Built in O(S log S) for S services; a page costs O(log S +
    log V) to find and O(page) to read."""

    def __init__(self, topology: Topology, nodes: Ints, severity: Ints) -> None:
        self._topology = topology
        self._span = topology.size + 1
        rank = topology.criticality[nodes].astype(np.int64) * len(_STATES) + (_WORST - severity)
        keys = rank * self._span + nodes
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self.nodes: Ints = nodes[order]
        """The services, ranked."""
        self.severity: Ints = severity[order]
        self.count = len(nodes)

    def states(self, start: int, end: int) -> list[State]:
        """The states of the services ranked `start` to `end`."""
        return [_STATES[s] for s in self.severity[start:end].tolist()]

    def start(self, after: ServicePosition | None) -> int:
        """The rank of the first service that sorts after `after` (0 without one)."""
        if after is None:
            return 0
        names, ids = self._topology.names, self._topology.ids
        # Where (name, id) would stand among the topology's CIs: the services of the same
        # criticality and state at or past that index sort after the position.
        index = bisect.bisect_right(
            range(self._topology.size), (after.name, after.id), key=lambda i: (names[i], ids[i])
        )
        criticality = after.criticality or NO_CRITICALITY
        rank = criticality * len(_STATES) + (_WORST - after.state.severity)
        return int(np.searchsorted(self._keys, rank * self._span + index, side="left"))

    def position(self, at: int) -> ServicePosition:
        node = int(self.nodes[at])
        criticality = int(self._topology.criticality[node])
        return ServicePosition(
            None if criticality == NO_CRITICALITY else criticality,
            _STATES[int(self.severity[at])],
            self._topology.names[node],
            self._topology.ids[node],
        )

    def window(self, after: ServicePosition | None, size: int) -> tuple[int, int]:
        """The ranks `[start, end)` of the page of `size` after `after`."""
        start = self.start(after)
        return start, min(start + size, self.count)
