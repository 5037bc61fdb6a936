"""The dependency topology as arrays: what the impact questions compute on (docs/concepts.md).

A `Topology` holds every CI (id, name, class, criticality, retired or not) and every current
dependency edge (from the dependent CI to the CI it depends on, its type and redundancy pool),
numbered 0..n-1 in (name, id) order, so that "smallest index" is the tie-break every answer
uses. `_load.py` projects it from Neo4j and keeps it in step with the graph (`_patch.py` applies
a write's delta); `Topology.from_subgraph` builds one from a fetched `Subgraph` (the "as of"
questions). The edges are kept twice, sorted by (source, target, pool) and by (target, source,
pool): a view is then a few masks, and a delta keeps both orders by inserting in place.

A `View` is the topology as one question's scope sees it: only the relationship types asked for,
retired CIs left out unless included, duplicate edges folded, with both directions in compressed
sparse row form (neighbours of node i at `ptr[i]:ptr[i+1]`, each list in index order).
Building one costs O(V + E) in numpy; a topology keeps the views it has built.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable

import numpy as np

from graph.domain import CIClass, CIStatus, RelationType
from graph.impact._subgraph import Subgraph
from graph.impact.topology._columns import (
    ALL_MEMBERS,
    CLASS_OF_LABEL,
    CLASSES,
    CODE_OF_TYPE,
    MAX_VIEWS,
    NO_CRITICALITY,
    NO_POOL,
    RELATION_CODES,
    SERVICE_CODES,
    CIIndex,
    CISummary,
    EdgeColumns,
    Edges,
    Flags,
    Ints,
    NodeColumns,
    Small,
    sorted_edges,
)
from graph.impact.topology._memo import Answers

__all__ = [
    "ALL_MEMBERS",
    "MAX_VIEWS",
    "NO_POOL",
    "RELATION_CODES",
    "CIIndex",
    "CISummary",
    "EdgeColumns",
    "Flags",
    "Ints",
    "NodeColumns",
    "Topology",
    "View",
]


class Topology:
    """Every CI and current dependency edge of the graph, as arrays. Immutable once built."""

    ids: list[str]
    names: list[str]
    index: CIIndex
    size: int
    ci_class: Small
    retired: Flags
    criticality: Small
    forward: Edges
    """Sorted by (source, target, pool)."""
    backward: Edges
    """The same edges sorted by (target, source, pool)."""
    pool_owner: Ints
    """Per pool: its dependent CI (-1 for a pool no edge uses any more)."""
    pool_group: list[str]
    pool_asked: Ints
    answers: Answers
    """What questions answered from this topology (`_memo.py`)."""

    def __init__(self, nodes: NodeColumns, edges: EdgeColumns) -> None:
        order = sorted(range(len(nodes.ids)), key=lambda i: (nodes.names[i], nodes.ids[i]))
        ids = [nodes.ids[i] for i in order]
        labels, statuses = nodes.labels, nodes.statuses
        retired = CIStatus.RETIRED.value
        index = {ci_id: i for i, ci_id in enumerate(ids)}
        if nodes.keys is not None:
            keys = nodes.keys
            ends = {keys[i]: position for position, i in enumerate(order)}
        else:
            ends = index
        source = np.array([ends.get(ci, -1) for ci in edges.sources], dtype=np.int64)
        target = np.array([ends.get(ci, -1) for ci in edges.targets], dtype=np.int64)
        kind = np.array([CODE_OF_TYPE[t] for t in edges.types], dtype=np.int8)
        # Pools are few: only the grouped edges are walked in Python.
        pool = np.full(len(source), NO_POOL, dtype=np.int64)
        pool_of: dict[tuple[int, str], int] = {}
        for at, group in enumerate(edges.groups):
            if group:
                pool[at] = pool_of.setdefault((int(source[at]), group), len(pool_of))
        known = (source >= 0) & (target >= 0)
        source, target, kind, pool = source[known], target[known], kind[known], pool[known]
        needed = nodes.min_operational
        self._assemble(
            ids=ids,
            names=[nodes.names[i] for i in order],
            index=CIIndex(index, np.arange(len(ids), dtype=np.int64), ids),
            ci_class=np.array([CLASS_OF_LABEL[labels[i]] for i in order], dtype=np.int8),
            retired=np.array([statuses[i] == retired for i in order], dtype=np.bool_),
            criticality=np.array(
                [nodes.criticality[i] or NO_CRITICALITY for i in order], dtype=np.int8
            ),
            forward=sorted_edges(source, target, kind, pool, by_target=False),
            backward=sorted_edges(source, target, kind, pool, by_target=True),
            pool_owner=np.array([owner for owner, _ in pool_of], dtype=np.int64),
            pool_group=[group for _, group in pool_of],
            pool_asked=np.array(
                [
                    needed.get(ids[owner], {}).get(group, ALL_MEMBERS) if owner >= 0 else 0
                    for owner, group in pool_of
                ],
                dtype=np.int64,
            ),
        )

    def _assemble(self, **parts: object) -> None:
        for name, value in parts.items():
            setattr(self, name, value)
        self.size = len(self.ids)
        self._views: dict[tuple[frozenset[RelationType], bool], View] = {}
        self._views_lock = threading.Lock()
        self.answers = Answers()  # never carried over: a new topology answers anew

    @classmethod
    def assembled(cls, views_from: Topology | None = None, **parts: object) -> Topology:
        """A topology of ready arrays (what `_patch.py` builds). With `views_from`, the views
        that topology built are kept: the caller vouches that the edges, pools, retired CIs and
        numbering they were built from are the same."""
        topology = cls.__new__(cls)
        topology._assemble(**parts)
        if views_from is not None:
            topology._views = {key: view.rebound(topology) for key, view in views_from.built()}
        return topology

    def built(self) -> list[tuple[tuple[frozenset[RelationType], bool], View]]:
        """The views this topology built so far, by (relation types, include retired)."""
        with self._views_lock:
            return list(self._views.items())

    def adopt(self, views: Iterable[tuple[tuple[frozenset[RelationType], bool], View]]) -> None:
        """Keeps views made for this topology elsewhere (`_view_splice.py`)."""
        with self._views_lock:
            self._views.update(views)

    @property
    def edge_source(self) -> Ints:
        return self.forward.source

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


def _scoped(
    edges: Edges, major: Ints, minor: Ints, alive: Flags | None, codes: list[int]
) -> tuple[Ints, Ints, Ints]:
    """The edges in scope, in the given order, each (major, minor, pool) once."""
    keep: Flags | None = None
    if len(codes) < len(RELATION_CODES):
        keep = np.isin(edges.kind, codes)
    if alive is not None:
        living = alive[major] & alive[minor]
        keep = living if keep is None else keep & living
    pool = edges.pool
    if keep is not None:
        major, minor, pool = major[keep], minor[keep], pool[keep]
    # The same dependency under two types counts once: once as a plain edge, once per pool.
    if len(major) > 1:
        fresh = np.ones(len(major), dtype=np.bool_)
        fresh[1:] = (np.diff(major) != 0) | (np.diff(minor) != 0) | (np.diff(pool) != 0)
        if not fresh.all():
            major, minor, pool = major[fresh], minor[fresh], pool[fresh]
    return major, minor, pool


class View:
    """The topology within one scope: CSR adjacency both ways and the pools' arithmetic."""

    def __init__(
        self, topology: Topology, relation_types: frozenset[RelationType], include_retired: bool
    ) -> None:
        t = topology
        self.topology = t
        # Without retired CIs there is nothing to mask: two passes over the edges saved.
        alive = None if include_retired or not t.retired.any() else ~t.retired
        codes = [RELATION_CODES[r] for r in relation_types]
        f, b = t.forward, t.backward
        source, target, pool = _scoped(f, f.source, f.target, alive, codes)
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
        in_target, in_source, in_pool = _scoped(b, b.target, b.source, alive, codes)
        self.in_ptr = _pointers(in_target, t.size)
        self.in_source = in_source
        self.in_pool = in_pool

    def rebound(self, topology: Topology) -> View:
        """This view for another topology with the same edges, pools and numbering."""
        view = copy.copy(self)
        view.topology = topology
        return view

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
