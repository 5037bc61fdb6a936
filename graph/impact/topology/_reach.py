"""Traversals and failure propagation over a `View`, level by level in numpy (docs/concepts.md).

Each level is a handful of array operations over the edges leaving the frontier, so a
traversal costs O(V + E) array work in as many Python steps as it has levels, not one per CI.
The answers are those of the reference algorithms in `tests/graph/impact/reference.py`
(the property tests compare them): the same depths, the same shortest-path parents (first in
breadth-first queue order, a CI's dependents taken in name order), the same least fixed point
of DOWN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.impact.topology._arrays import NO_POOL, Flags, Ints, View

__all__ = ["Levels", "down_rounds", "downstream", "gather", "upstream"]

UNREACHED = -1
_NONE = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Levels:
    """A breadth-first traversal from some start CIs."""

    depth: Ints
    """Per CI: hops from the nearest start (0 for starts), UNREACHED if not reached."""
    parent: Ints
    """Per CI: the CI one hop nearer a start on its first shortest path; -1 for starts."""
    order: Ints
    """The CIs reached, in breadth-first queue order."""
    cut: bool
    """Whether the level limit left CIs unreached."""


def gather(pointers: Ints, frontier: Ints) -> tuple[Ints, Ints]:
    """Positions of the CSR entries of every frontier node, in frontier order, and for each
    the frontier position it came from."""
    starts = pointers[frontier]
    counts = pointers[frontier + 1] - starts
    total = int(counts.sum())
    origin = np.repeat(np.arange(len(frontier), dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    positions = np.arange(total, dtype=np.int64) - offsets[origin] + starts[origin]
    return positions, origin


def _levels(pointers: Ints, neighbours: Ints, starts: Ints, max_levels: int) -> Levels:
    size = len(pointers) - 1
    depth = np.full(size, UNREACHED, dtype=np.int64)
    parent = np.full(size, -1, dtype=np.int64)
    depth[starts] = 0
    first_entry = np.full(size, _NONE, dtype=np.int64)
    frontier = starts
    reached = [starts]
    level = 0
    cut = False
    while len(frontier):
        positions, origin = gather(pointers, frontier)
        found = neighbours[positions]
        fresh = depth[found] == UNREACHED
        if not fresh.any():
            break
        if level == max_levels:
            cut = True
            break
        found, origin = found[fresh], origin[fresh]
        # Entries come in queue order (frontier position, then index order): a CI's first
        # entry is where a queue-based search would discover it, and from which parent.
        entry = np.arange(len(found), dtype=np.int64)
        np.minimum.at(first_entry, found, entry)
        first = np.flatnonzero(first_entry[found] == entry)
        first_entry[found] = _NONE
        level += 1
        frontier = found[first]
        depth[frontier] = level
        parent[frontier] = reached[-1][origin[first]]
        reached.append(frontier)
    return Levels(depth, parent, np.concatenate(reached), cut)


def upstream(view: View, starts: Ints, max_levels: int) -> Levels:
    """Every CI that transitively depends on `starts` (index-ordered), up to `max_levels` hops.
    O(V + E) array work, one Python step per level."""
    return _levels(view.in_ptr, view.in_source, starts, max_levels)


def downstream(view: View, starts: Ints, max_levels: int) -> Levels:
    """Every CI that `starts` transitively depend on, up to `max_levels` hops."""
    return _levels(view.out_ptr, view.out_target, starts, max_levels)


def down_rounds(view: View, failed: Ints, within: Flags) -> Ints:
    """The least fixed point of DOWN (docs/concepts.md, "States") when `failed` fail, among
    the CIs marked `within` (others stay up): per CI, the round it went DOWN in (0 for
    `failed`), -1 if it stays up. A CI goes DOWN when a dependency outside any pool is DOWN
    or one of its pools has fewer members not DOWN than it needs. O(V + E) array work, one
    Python step per round."""
    return _spread(view, failed, within)


def _spread(view: View, failed: Ints, within: Flags) -> Ints:
    rounds = np.full(view.topology.size, -1, dtype=np.int64)
    rounds[failed] = 0
    pool_down = np.zeros(len(view.members), dtype=np.int64)
    slack = view.members - view.needed
    marked = np.zeros(view.topology.size, dtype=np.bool_)
    frontier = failed
    round_number = 0
    while len(frontier):
        positions, _ = gather(view.in_ptr, frontier)
        dependents = view.in_source[positions]
        pools = view.in_pool[positions]
        open_ = within[dependents] & (rounds[dependents] < 0)
        dependents, pools = dependents[open_], pools[open_]
        plain = dependents[pools == NO_POOL]
        pooled = pools[pools != NO_POOL]
        np.add.at(pool_down, pooled, 1)
        owners = view.topology.pool_owner[pooled[pool_down[pooled] > slack[pooled]]]
        # Marks instead of np.unique: O(V) per round, no sort.
        marked[plain] = True
        marked[owners] = True
        newly = np.flatnonzero(marked)
        marked[newly] = False
        round_number += 1
        rounds[newly] = round_number
        frontier = newly
    return rounds
