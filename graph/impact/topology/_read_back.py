"""The states of the CIs that large writes' deltas name without their states
(graph/_topology_version.py, `DELTA_STATES_MOST`): `_load.py` reads them after those writes
committed (`READ_BACK`), and they are folded here with the states the other deltas carry.

Read after the commits, a state may be newer than the log's head the projection moves to: a
write committed since then. That write's delta comes next and touches the same CI, so the
projection applies its state again; a state never goes missing, it may only arrive early. An
edge read that way may lead to a CI the projection does not hold yet (created by that later
write): it is left out until that write's delta, which touches the edge's dependent and brings
both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.impact.topology._arrays import Topology
from graph.impact.topology._delta import CIState, TopologyDelta, folded, states_from_row

__all__ = ["followed_states", "to_read_back"]


def to_read_back(deltas: Sequence[TopologyDelta]) -> list[str]:
    """The CIs of `deltas` whose states must be read: those of the deltas naming them only."""
    return sorted({ci for delta in deltas for ci in delta.read_back})


def followed_states(
    topology: Topology, deltas: Sequence[TopologyDelta], read: Mapping[str, Any] | None
) -> dict[str, CIState | None]:
    """The latest state of every CI `deltas` touched, for `topology` to take: the deltas'
    states, folded, then those `read` (`READ_BACK`'s lists for `to_read_back(deltas)`), with
    edges to CIs the topology will not hold left out. O(the states and their edges)."""
    states = folded(deltas)
    if read is None:
        return states
    states.update(states_from_row(read))

    def held(ci_id: str) -> bool:
        if ci_id in states:
            return states[ci_id] is not None
        return ci_id in topology.index

    for ci_id, state in states.items():
        if state is not None and not all(held(target) for target, _, _ in state.edges):
            kept = tuple(edge for edge in state.edges if held(edge[0]))
            states[ci_id] = CIState(
                state.name, state.ci_class, state.retired, state.criticality, kept, state.pools
            )
    return states
