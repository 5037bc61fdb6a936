"""Applying topology deltas (graph/_topology_version.py) to a `Topology`: the next topology,
without reloading the graph (docs/impact.md, "Keeping it in step").

A delta gives the state of each CI it touched as the projection holds it: its name, class,
retired or not, criticality, minOperational, and every current outgoing dependency edge; or
that it is gone. Several deltas fold into one (the latest state of a CI wins). Applying it:

- a delta that says what the topology holds already (an updateCI of a description) returns the
  same topology, with the views it built;
- CIs keep their (name, id) numbering: a CI created, renamed or deleted moves the others by a
  monotone renumbering (one array gather), which keeps both edge orders sorted;
- the touched CIs' outgoing edges are replaced: the old ones dropped by a mask, the new ones
  (and the edges into a renamed CI, whose place changed) inserted where their order puts them
  (`np.searchsorted`, `np.insert`).

O(V + E) array work and O(touched CIs and their edges) in Python; no work per other CI or edge
in Python. The views are kept when the edges, pools, retired CIs and numbering stayed, spliced
when only a few CIs' plain out-edges changed (`_view_splice.py`), else built again when asked.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence

import numpy as np

from graph.impact.topology._arrays import Topology
from graph.impact.topology._columns import (
    CIIndex,
    Ints,
)
from graph.impact.topology._delta import CIState
from graph.impact.topology._plan import plan as make_plan
from graph.impact.topology._splice import edges_after
from graph.impact.topology._view_splice import MOST_SPLICED, splice_views

__all__ = ["patched"]


def _relisted(
    old: list[str], leaving: Sequence[int], ranks: Sequence[int], new: list[str]
) -> list[str]:
    """`old` without the entries at `leaving` (sorted), with `new` placed after `ranks[k]` of
    the rest: list slices, no step per entry in Python."""
    kept: list[str] = []
    start = 0
    for at in leaving:
        kept += old[start:at]
        start = at + 1
    kept += old[start:]
    out: list[str] = []
    start = 0
    for rank, value in zip(ranks, new, strict=True):
        out += kept[start:rank]
        out.append(value)
        start = rank
    out += kept[start:]
    return out


def patched(t: Topology, states: Mapping[str, CIState | None]) -> Topology:
    """The topology after the CIs of `states` took those states; `t` itself when it holds them
    all already. O(V + E) array work when anything changed."""
    plan = make_plan(t, states)
    if not plan.in_place and not plan.leaving and not plan.placed:
        return t
    found: dict[str, CIState] = {ci: s for ci, s in states.items() if s is not None}
    size_before = t.size
    leaving = sorted(plan.leaving)
    placed = sorted(plan.placed, key=lambda ci: (found[ci].name, ci))
    renumbered = bool(leaving or placed)
    remap: Ints | None = None
    ids, names, index = t.ids, t.names, t.index
    if renumbered:
        gone_sorted = np.array(leaving, dtype=np.int64)
        ranks = []
        for ci_id in placed:
            at = bisect_left(
                range(size_before), (found[ci_id].name, ci_id), key=lambda i: (names[i], ids[i])
            )
            ranks.append(at - int(np.searchsorted(gone_sorted, at)))
        kept = np.delete(np.arange(size_before, dtype=np.int64), gone_sorted)
        rank = np.array(ranks, dtype=np.int64)
        new_kept = np.arange(len(kept), dtype=np.int64)
        new_kept += np.searchsorted(rank, new_kept, "right")
        new_placed = rank + np.arange(len(rank), dtype=np.int64)
        size = len(kept) + len(rank)
        # One more entry for index -1 (a pool no edge uses), which stays -1.
        remap = np.full(size_before + 1, -1, dtype=np.int64)
        remap[kept] = new_kept
        # A renamed CI's new place, for the edges into it (its own are replaced).
        for ci_id, at in zip(placed, new_placed.tolist(), strict=True):
            old = t.index.get(ci_id)
            if old is not None:
                remap[old] = at
        ids = _relisted(t.ids, leaving, ranks, placed)
        names = _relisted(t.names, leaving, ranks, [found[ci].name for ci in placed])
        slots = t.index.slots
        for ci_id in placed:
            slots.setdefault(ci_id, len(slots))
        old_position = t.index.position
        position = np.full(len(slots), -1, dtype=np.int64)
        held = old_position >= 0
        position[: len(old_position)][held] = remap[old_position[held]]
        position[[slots[ci] for ci in placed]] = new_placed
        index = CIIndex(slots, position, ids)
    else:
        size = size_before

    def columns(old: np.ndarray, value: object) -> np.ndarray:
        if remap is None:
            return old.copy()
        column = np.empty(size, dtype=old.dtype)
        column[new_kept] = old[kept]
        column[new_placed] = [getattr(found[ci], str(value)) for ci in placed]
        return column

    ci_class = columns(t.ci_class, "ci_class")
    retired = columns(t.retired, "retired")
    criticality = columns(t.criticality, "criticality")
    renamed = False
    for old, ci_id in plan.in_place:
        at = old if remap is None else int(remap[old])
        state = found[ci_id]
        ci_class[at], retired[at], criticality[at] = (
            state.ci_class,
            state.retired,
            state.criticality,
        )
        if names[at] != state.name:
            if not renamed and names is t.names:
                names = list(names)
            renamed = True
            names[at] = state.name
    forward, backward, pools = edges_after(t, plan, remap, index, found, size)
    same_structure = (
        not renumbered
        and forward is t.forward
        and pools is None
        and bool((retired == t.retired).all())
    )
    owner, group, asked = pools if pools is not None else (t.pool_owner, t.pool_group, t.pool_asked)
    after = Topology.assembled(
        views_from=t if same_structure else None,
        ids=ids,
        names=names,
        index=index,
        ci_class=ci_class,
        retired=retired,
        criticality=criticality,
        forward=forward,
        backward=backward,
        pool_owner=owner,
        pool_group=group,
        pool_asked=asked,
    )
    # Pools unchanged means the CIs whose edges changed own none (`_new_edges`).
    if (
        not same_structure
        and not renumbered
        and pools is None
        and len(plan.changed_edges) <= MOST_SPLICED
        and bool((retired == t.retired).all())
    ):
        splice_views(t, after, sorted(plan.changed_edges))
    return after
