"""The edge orders of a topology after a delta (`_patch.py`): the touched CIs' outgoing edges
replaced, the edges into CIs that moved placed again, both orders kept sorted."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graph.impact.topology._arrays import Topology
from graph.impact.topology._columns import ALL_MEMBERS, NO_POOL, CIIndex, Edges, Flags, Ints
from graph.impact.topology._delta import CIState
from graph.impact.topology._plan import Plan, marks

__all__ = ["SMALL", "edges_after"]


SMALL = 64
"""Up to this many edges inserted, each is placed by binary searches and the arrays are spliced
by slices (a copy each); more, by whole-array keys and `np.insert`."""


def _positions(major: Ints, minor: Ints, pool: Ints, a: Ints, b: Ints, c: Ints, width: int) -> Ints:
    """Where (a, b, c) go among edges sorted by (major, minor, pool)."""
    if len(a) <= SMALL:
        found = []
        for x, y, z in zip(a.tolist(), b.tolist(), c.tolist(), strict=True):
            lo, hi = np.searchsorted(major, [x, x + 1])
            lo += int(np.searchsorted(minor[lo:hi], y))
            hi = lo + int(np.searchsorted(minor[lo:hi], y, "right"))
            found.append(lo + int(np.searchsorted(pool[lo:hi], z)))
        return np.array(found, dtype=np.int64)
    # Keys of the first two, then the few ties (one entry per relation type at most) walked
    # a step at a time.
    key = major * width + minor
    wanted = a * width + b
    lo = np.searchsorted(key, wanted, "left")
    run = np.searchsorted(key, wanted, "right") - lo
    positions = lo.copy()
    for step in range(int(run.max()) if len(run) else 0):
        at = np.minimum(lo + step, len(pool) - 1)
        positions += (step < run) & (pool[at] < c)
    return positions


def _placed(
    source: Ints, target: Ints, pool: Ints, new: Edges, by_target: bool, width: int
) -> tuple[Ints, Ints]:
    """`new` in the order of the edges (by target or by source), and where each goes."""
    if by_target:
        order = np.lexsort((new.pool, new.source, new.target))
        major, minor, a, b = target, source, new.target[order], new.source[order]
    else:
        order = np.lexsort((new.pool, new.target, new.source))
        major, minor, a, b = source, target, new.source[order], new.target[order]
    return order, _positions(major, minor, pool, a, b, new.pool[order], width)


def _inserted(column: np.ndarray, at: Ints, values: np.ndarray) -> np.ndarray:
    """`column` with `values` inserted before the positions `at` (ascending)."""
    if len(at) > SMALL:
        return np.insert(column, at, values)
    pieces: list[np.ndarray] = []
    start = 0
    for k, position in enumerate(at.tolist()):
        pieces += [column[start:position], values[k : k + 1]]
        start = position
    pieces.append(column[start:])
    return np.concatenate(pieces)


def _edited(
    edges: Edges, drop: Flags | None, remap: Ints | None, new: Edges, by_target: bool, width: int
) -> Edges:
    """`edges` without the dropped ones, renumbered, with `new` inserted in order."""
    source, target, kind, pool = _columns_of(edges)
    if drop is not None and drop.any():
        keep = ~drop
        source, target, kind, pool = source[keep], target[keep], kind[keep], pool[keep]
    if remap is not None:
        source, target = remap[source], remap[target]
    if not len(new.source):
        return Edges(source, target, kind, pool)
    order, at = _placed(source, target, pool, new, by_target, width)
    return Edges(
        _inserted(source, at, new.source[order]),
        _inserted(target, at, new.target[order]),
        _inserted(kind, at, new.kind[order]),
        _inserted(pool, at, new.pool[order]),
    )


def _runs_by_source(forward: Edges, nodes: list[int]) -> list[tuple[int, int]]:
    """The runs of the outgoing edges of `nodes` (sorted) in the order by source."""
    lo = np.searchsorted(forward.source, nodes, "left").tolist()
    hi = np.searchsorted(forward.source, nodes, "right").tolist()
    return [(a, b) for a, b in zip(lo, hi, strict=True) if b > a]


def _runs_by_target(backward: Edges, pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The runs of the (target, source) `pairs` in the order by target: sorted, disjoint."""
    runs = []
    for target, source in sorted(pairs):
        lo, hi = np.searchsorted(backward.target, [target, target + 1])
        sources = backward.source[lo:hi]
        start = int(lo) + int(np.searchsorted(sources, source, "left"))
        stop = int(lo) + int(np.searchsorted(sources, source, "right"))
        if stop > start:
            runs.append((start, stop))
    return runs


def _replaced(
    edges: Edges, runs: list[tuple[int, int]], new: Edges, by_target: bool, width: int
) -> Edges:
    """`edges` without the `runs`, with `new` inserted in order: one copy of each column, for a
    few runs and edges (no pass over every edge but the copy)."""
    source, target, _, pool = _columns_of(edges)
    order, positions = _placed(source, target, pool, new, by_target, width)
    at = positions.tolist()
    # Segments of the result: ("old", start, stop) slices and ("new", first, last) items; an
    # insertion at a position goes before the old edge there (dropped or not).
    segments: list[tuple[bool, int, int]] = []
    start, k = 0, 0
    for lo, hi in [*runs, (len(source), len(source))]:
        while k < len(at) and at[k] <= lo:
            first = k
            while k < len(at) and at[k] == at[first]:
                k += 1
            position = max(at[first], start)
            segments += [(True, start, position), (False, first, k)]
            start = position
        segments.append((True, start, lo))
        start = hi
    columns = []
    for old, added in zip(_columns_of(edges), _columns_of(new), strict=True):
        added = added[order]
        columns.append(
            np.concatenate([old[i:j] if is_old else added[i:j] for is_old, i, j in segments])
        )
    return Edges(*columns)


def edges_after(
    t: Topology,
    plan: Plan,
    remap: Ints | None,
    index: CIIndex,
    found: Mapping[str, CIState],
    size: int,
) -> tuple[Edges, Edges, tuple[Ints, list[str], Ints] | None]:
    """Both edge orders after the delta, and the pools when they changed."""
    moved = sorted(set(plan.leaving) - set(plan.gone))
    if not plan.changed_edges and not moved and remap is None:
        return t.forward, t.backward, None
    before = t.size
    changed = marks(before, plan.changed_edges)
    f, b = t.forward, t.backward
    if remap is None and not plan.gone and not moved and len(plan.changed_edges) <= SMALL:
        # A few CIs' out-edges replaced, nobody renumbered: their runs found by binary search
        # and each column copied once, no mask over every edge.
        runs = _runs_by_source(f, sorted(plan.changed_edges))
        pairs = {
            (target, source)
            for lo, hi in runs
            for source, target in zip(
                f.source[lo:hi].tolist(), f.target[lo:hi].tolist(), strict=True
            )
        }
        pools, fresh = _new_edges(t, plan, changed, remap, index, found)
        forward = _replaced(f, runs, fresh, False, size)
        return forward, _replaced(b, _runs_by_target(b, pairs), fresh, True, size), pools
    # Masks only for the sets that are not empty: each is a pass over the edges.
    drop_f = changed[f.source] if plan.changed_edges else None
    drop_b = changed[b.source] if plan.changed_edges else None
    if plan.gone:
        gone = marks(before, plan.gone)
        drop_f = _either(drop_f, gone[f.target])
        drop_b = _either(drop_b, gone[b.target])
    extra = Edges(*(np.empty(0, dtype=c.dtype) for c in _columns_of(f)))
    if moved:
        shifted = marks(before, moved)
        into_f = shifted[f.target]
        shift = into_f if drop_f is None else into_f & ~drop_f
        # Edges into a CI that moved keep their pools (their dependents did not change).
        extra = Edges(f.source[shift], f.target[shift], f.kind[shift], f.pool[shift])
        drop_f = _either(drop_f, shift)
        drop_b = _either(drop_b, shifted[b.target])
    if remap is not None:
        extra = Edges(remap[extra.source], remap[extra.target], extra.kind, extra.pool)
    pools, fresh = _new_edges(t, plan, changed, remap, index, found)
    new = Edges(
        *(
            np.concatenate((old, added))
            for old, added in zip(_columns_of(extra), _columns_of(fresh), strict=True)
        )
    )
    forward = _edited(f, drop_f, remap, new, False, size)
    backward = _edited(b, drop_b, remap, new, True, size)
    return forward, backward, pools


def _either(a: Flags | None, b: Flags) -> Flags:
    return b if a is None else a | b


def _columns_of(edges: Edges) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    return edges.source, edges.target, edges.kind, edges.pool


def _new_edges(
    t: Topology,
    plan: Plan,
    changed: Flags,
    remap: Ints | None,
    index: CIIndex,
    found: Mapping[str, CIState],
) -> tuple[tuple[Ints, list[str], Ints] | None, Edges]:
    """The pools after the delta (None when they did not change) and the delta's edges, in
    the new numbering. A pool keeps its number while its dependent keeps its group."""
    owner = t.pool_owner
    owned = np.flatnonzero(changed[owner])
    writers = [t.ids[old] for old in plan.changed_edges if t.ids[old] in found]
    writers += [ci for ci in plan.placed if t.index.get(ci) is None]
    grouped = any(g for ci in writers for _, _, g in found[ci].edges)
    pools: tuple[Ints, list[str], Ints] | None = None
    reuse: dict[tuple[str, str], int] = {}
    if len(owned) or grouped or remap is not None:
        new_owner = owner.copy() if remap is None else remap[owner]
        group_of = list(t.pool_group)
        asked = t.pool_asked.copy()
        for pool in owned.tolist():
            reuse[(t.ids[int(owner[pool])], group_of[pool])] = pool
            new_owner[pool], asked[pool] = -1, 0
        pools = (new_owner, group_of, asked)
    sources: list[int] = []
    targets: list[int] = []
    kinds: list[int] = []
    pool_of: list[int] = []
    added_owner: list[int] = []
    added_asked: list[int] = []
    for ci_id in writers:
        state = found[ci_id]
        source = index[ci_id]
        for target_id, kind, group in state.edges:
            target = index.get(target_id)
            if target is None:
                continue
            pool = NO_POOL
            if group and pools is not None:
                pool = reuse.get((ci_id, group), -1)
                if pool < 0:
                    pool = len(pools[1])
                    reuse[(ci_id, group)] = pool
                    pools[1].append(group)
                    added_owner.append(source)
                    added_asked.append(state.pools.get(group, ALL_MEMBERS))
                else:
                    at = pool - len(t.pool_owner)
                    if at < 0:
                        pools[0][pool] = source
                        pools[2][pool] = state.pools.get(group, ALL_MEMBERS)
            sources.append(source)
            targets.append(target)
            kinds.append(kind)
            pool_of.append(pool)
    if pools is not None and added_owner:
        pools = (
            np.concatenate((pools[0], np.array(added_owner, dtype=np.int64))),
            pools[1],
            np.concatenate((pools[2], np.array(added_asked, dtype=np.int64))),
        )
    fresh = Edges(
        np.array(sources, dtype=np.int64),
        np.array(targets, dtype=np.int64),
        np.array(kinds, dtype=np.int8),
        np.array(pool_of, dtype=np.int64),
    )
    return pools, fresh
