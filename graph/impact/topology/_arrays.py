"""The dependency topology as arrays: what the impact questions compute on (docs/concepts.md).

A `Topology` holds every CI (id, name, class, criticality, retired or not) and every current
dependency edge (from the dependent CI to the CI it depends on, its type and redundancy pool),
numbered 0..n-1 in (name, id) order, so that "smallest index" is the tie-break every answer
uses. `_load.py` projects it from Neo4j and keeps it in step with the graph;
`Topology.from_subgraph` builds one from a fetched `Subgraph` (the "as of" questions).

A `View` is the topology as one question's scope sees it: only the relationship types asked for,
retired CIs left out unless included, duplicate edges folded, with both directions in compressed
sparse row form (neighbours of node i at `ptr[i]:ptr[i+1]`, each list in index order).
Building one costs O(E log E) in numpy; a topology keeps the views it has built.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from graph.domain import CIClass, CIStatus, RelationType
from graph.impact._subgraph import Subgraph

__all__ = ["RELATION_CODES", "CISummary", "EdgeColumns", "NodeColumns", "Topology", "View"]

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

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


_CLASS_OF_LABEL = {c.label: i for i, c in enumerate(CLASSES)}
_CODE_OF_TYPE = {t.value: code for t, code in RELATION_CODES.items()}


class Topology:
    """Every CI and current dependency edge of the graph, as arrays. Immutable once built."""

    def __init__(self, nodes: NodeColumns, edges: EdgeColumns, fingerprint: object = None) -> None:
        self.fingerprint = fingerprint
        """What the loader compares with the graph's to tell whether this is still current."""
        order = sorted(range(len(nodes.ids)), key=lambda i: (nodes.names[i], nodes.ids[i]))
        self.ids = [nodes.ids[i] for i in order]
        self.names = [nodes.names[i] for i in order]
        self.index = {ci_id: i for i, ci_id in enumerate(self.ids)}
        self.size = len(order)
        labels, statuses = nodes.labels, nodes.statuses
        self.ci_class = np.array([_CLASS_OF_LABEL[labels[i]] for i in order], dtype=np.int8)
        retired = CIStatus.RETIRED.value
        self.retired = np.array([statuses[i] == retired for i in order], dtype=np.bool_)
        self.criticality = np.array(
            [nodes.criticality[i] or NO_CRITICALITY for i in order], dtype=np.int8
        )
        index = self.index
        if nodes.keys is not None:
            keys = nodes.keys
            index = {keys[i]: position for position, i in enumerate(order)}
        source = np.array([index.get(ci, -1) for ci in edges.sources], dtype=np.int64)
        target = np.array([index.get(ci, -1) for ci in edges.targets], dtype=np.int64)
        kind = np.array([_CODE_OF_TYPE[t] for t in edges.types], dtype=np.int8)
        # Pools are few: only the grouped edges are walked in Python.
        pool = np.full(len(source), NO_POOL, dtype=np.int64)
        pool_of: dict[tuple[int, str], int] = {}
        for at, group in enumerate(edges.groups):
            if group:
                pool[at] = pool_of.setdefault((int(source[at]), group), len(pool_of))
        known = (source >= 0) & (target >= 0)
        self.edge_source, self.edge_target = source[known], target[known]
        self.edge_kind, self.edge_pool = kind[known], pool[known]
        self.pool_owner = np.array([owner for owner, _ in pool_of], dtype=np.int64)
        self.pool_group = [group for _, group in pool_of]
        needed = nodes.min_operational
        self.pool_asked = np.array(
            [
                needed.get(self.ids[owner], {}).get(group, ALL_MEMBERS) if owner >= 0 else 0
                for owner, group in pool_of
            ],
            dtype=np.int64,
        )
        self._views: dict[tuple[frozenset[RelationType], bool], View] = {}
        self._views_lock = threading.Lock()

    @classmethod
    def from_subgraph(cls, subgraph: Subgraph) -> Topology:
        """A topology of a fetched subgraph. Pool members outside it (the fetch keeps pool edges
        to CIs it did not reach) become operational CIs named by their id."""
        found = list(subgraph.nodes.values())
        outside = sorted({e.target for e in subgraph.edges} - set(subgraph.nodes))
        nodes = NodeColumns(
            ids=[n.id for n in found] + outside,
            names=[n.name for n in found] + outside,
            labels=[n.ci_class.label for n in found] + [CIClass.SOFTWARE.label] * len(outside),
            statuses=[n.status.value for n in found] + [CIStatus.OPERATIONAL.value] * len(outside),
            criticality=[n.criticality for n in found] + [None] * len(outside),
            min_operational={n.id: n.min_operational for n in found if n.min_operational},
        )
        edges = EdgeColumns(
            sources=[e.source for e in subgraph.edges],
            targets=[e.target for e in subgraph.edges],
            types=[e.type.value for e in subgraph.edges],
            groups=[e.redundancy_group for e in subgraph.edges],
        )
        return cls(nodes, edges)

    def indices(self, ci_ids: Iterable[str], include_retired: bool) -> tuple[Ints, list[str]]:
        """The known CIs among `ci_ids` (sorted indices) and the ids that name none in scope."""
        found: list[int] = []
        unknown: list[str] = []
        for ci_id in ci_ids:
            i = self.index.get(ci_id)
            if i is None or (self.retired[i] and not include_retired):
                unknown.append(ci_id)
            else:
                found.append(i)
        return np.unique(np.array(found, dtype=np.int64)), unknown

    def summary(self, node: int) -> CISummary:
        return CISummary(self.ids[node], self.names[node], CLASSES[self.ci_class[node]])

    def is_service(self, nodes: Ints) -> Flags:
        return np.isin(self.ci_class[nodes], SERVICE_CODES)

    def services(self, include_retired: bool) -> Ints:
        """Every business and technical service, in index order."""
        chosen = np.isin(self.ci_class, SERVICE_CODES)
        if not include_retired:
            chosen &= ~self.retired
        return np.flatnonzero(chosen)

    def view(self, relation_types: Iterable[RelationType], include_retired: bool) -> View:
        """The view of a scope, built on first use. The most recently used `MAX_VIEWS` are
        kept (each holds a few arrays the size of the edges: some 20 MB at 400,000 edges)."""
        key = (frozenset(relation_types), include_retired)
        # Questions run in worker threads (off the event loop): the cache is shared.
        with self._views_lock:
            found = self._views.pop(key, None)
            if found is not None:
                self._views[key] = found
                return found
        found = View(self, key[0], include_retired)
        with self._views_lock:
            while len(self._views) >= MAX_VIEWS:
                del self._views[next(iter(self._views))]
            self._views[key] = found
        return found


class View:
    """The topology within one scope: CSR adjacency both ways and the pools' arithmetic."""

    def __init__(
        self, topology: Topology, relation_types: frozenset[RelationType], include_retired: bool
    ) -> None:
        t = topology
        self.topology = t
        alive = np.ones(t.size, dtype=np.bool_) if include_retired else ~t.retired
        codes = [RELATION_CODES[r] for r in relation_types]
        keep = np.isin(t.edge_kind, codes) & alive[t.edge_source] & alive[t.edge_target]
        source, target, pool = t.edge_source[keep], t.edge_target[keep], t.edge_pool[keep]
        # The same dependency under two types counts once: once as a plain edge, once per pool.
        order = np.lexsort((pool, target, source))
        source, target, pool = source[order], target[order], pool[order]
        if len(source):
            fresh = np.ones(len(source), dtype=np.bool_)
            fresh[1:] = (np.diff(source) != 0) | (np.diff(target) != 0) | (np.diff(pool) != 0)
            source, target, pool = source[fresh], target[fresh], pool[fresh]
        members = np.bincount(pool[pool >= 0], minlength=len(t.pool_owner)).astype(np.int64)
        asked = np.where(t.pool_asked == ALL_MEMBERS, members, t.pool_asked)
        self.members = members
        """Distinct members of each pool in this scope."""
        self.needed = np.clip(asked, 0, members)
        """Members each pool needs not DOWN: minOperational (default all), clamped."""
        # Edges are sorted by (source, target): the forward lists are in index order already.
        self.out_ptr = _pointers(source, t.size)
        self.out_target = target
        self.out_pool = pool
        by_target = np.lexsort((source, target))
        self.in_ptr = _pointers(target[by_target], t.size)
        self.in_source = source[by_target]
        self.in_pool = pool[by_target]

    def dependencies(self, node: int) -> tuple[Ints, Ints]:
        """What `node` depends on directly: targets and their pools (NO_POOL outside any),
        in index order."""
        span = slice(self.out_ptr[node], self.out_ptr[node + 1])
        return self.out_target[span], self.out_pool[span]


def _pointers(sorted_keys: Ints, size: int) -> Ints:
    """CSR row pointers for keys sorted ascending."""
    pointers = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(sorted_keys, minlength=size), out=pointers[1:])
    return pointers
