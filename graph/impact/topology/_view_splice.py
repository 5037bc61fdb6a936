"""The views of a topology after a small delta, spliced from the views of the topology before it
(`_patch.py`) instead of built again: a relate or unrelate of a few CIs then costs a few copies of
the edge arrays, not a fold of every edge in both directions.

Only for the deltas that leave everything but a few CIs' outgoing edges as they were: no CI
renumbered, none retired or brought back, no pool changed, and none of the CIs whose edges change
owning a pool (every edge of theirs, before and after, plain). Then in each view only those CIs'
out-lists change, and in the in-lists only their own entries; the pools' arithmetic stays.
"""

from __future__ import annotations

import copy

import numpy as np

from graph.domain import RelationType
from graph.impact.topology._arrays import Topology, View
from graph.impact.topology._columns import NO_POOL, RELATION_CODES, Flags, Ints

__all__ = ["MOST_SPLICED", "splice_views"]

MOST_SPLICED = 64
"""More CIs with changed edges than this, and the views are built again when asked."""


def splice_views(before: Topology, after: Topology, changed: list[int]) -> None:
    """Gives `after` the views `before` built, with the out-edges of the CIs `changed` (indices
    in both, sorted) replaced by `after`'s. The caller vouches for the conditions above.
    O(E) array copies per view, O(changed CIs and their edges) in Python."""
    alive = None if not after.retired.any() else ~after.retired
    after.adopt(
        (key, _spliced(view, after, changed, key[0], None if key[1] else alive))
        for key, view in before.built()
    )


def _new_targets(after: Topology, node: int, codes: list[int], alive: Flags | None) -> Ints:
    """What `node` depends on in a view's scope after the delta: sorted, each once."""
    f = after.forward
    lo, hi = np.searchsorted(f.source, [node, node + 1])
    targets, kinds = f.target[lo:hi], f.kind[lo:hi]
    keep = np.isin(kinds, codes)
    if alive is not None:
        keep &= alive[targets] & bool(alive[node])
    return np.unique(targets[keep])


def _spliced(
    view: View,
    after: Topology,
    changed: list[int],
    types: frozenset[RelationType],
    alive: Flags | None,
) -> View:
    codes = [RELATION_CODES[r] for r in types]
    out_ptr, out_target, out_pool = view.out_ptr, view.out_target, view.out_pool
    in_ptr, in_source = view.in_ptr, view.in_source
    targets: list[Ints] = []
    pools: list[Ints] = []
    out_shift = np.zeros(len(out_ptr), dtype=np.int64)
    in_shift = np.zeros(len(in_ptr), dtype=np.int64)
    removed: list[int] = []
    added: list[tuple[int, int, int]] = []  # (position in the old in-lists, target, source)
    start = 0
    for node in changed:
        lo, hi = int(out_ptr[node]), int(out_ptr[node + 1])
        old = out_target[lo:hi]
        new = _new_targets(after, node, codes, alive)
        targets += [out_target[start:lo], new]
        pools += [out_pool[start:lo], np.full(len(new), NO_POOL, dtype=np.int64)]
        start = hi
        out_shift[node + 1] = len(new) - len(old)
        # In-lists are sorted by (source, pool), and a CI owning no pool has one entry in the
        # in-list of each CI it depends on: the one to drop is found, a new one goes where
        # it sorts.
        for target in np.setdiff1d(old, new).tolist():
            span = in_source[in_ptr[target] : in_ptr[target + 1]]
            removed.append(int(in_ptr[target]) + int(np.searchsorted(span, node)))
            in_shift[target + 1] -= 1
        for target in np.setdiff1d(new, old).tolist():
            span = in_source[in_ptr[target] : in_ptr[target + 1]]
            added.append((int(in_ptr[target]) + int(np.searchsorted(span, node)), target, node))
            in_shift[target + 1] += 1
    targets.append(out_target[start:])
    pools.append(out_pool[start:])
    spliced = copy.copy(view)
    spliced.topology = after
    spliced.out_target = np.concatenate(targets)
    spliced.out_pool = np.concatenate(pools)
    spliced.out_ptr = out_ptr + np.cumsum(out_shift)
    gone = np.array(sorted(removed), dtype=np.int64)
    # New entries at one position (in-lists empty between them) go by target, then source.
    added.sort()
    # Where each new entry goes once the dropped ones are out: before the old entry it sorted
    # before, so past every dropped entry below that one.
    at = np.array([position for position, _, _ in added], dtype=np.int64)
    at -= np.searchsorted(gone, at, "left")
    sources = np.array([source for _, _, source in added], dtype=np.int64)
    spliced.in_source = np.insert(np.delete(in_source, gone), at, sources)
    spliced.in_pool = np.insert(np.delete(view.in_pool, gone), at, NO_POOL)
    spliced.in_ptr = in_ptr + np.cumsum(in_shift)
    return spliced
