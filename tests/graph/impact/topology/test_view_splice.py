"""Edges and views spliced after a small delta (`_splice.py`, `_view_splice.py`) against those
built afresh: on random topologies with several relationship types, pools and retired CIs, any
change of a few CIs' out-edges gives the edges (both orders, sorted) of a topology built from
the new edge list, and every view the topology had built equal, array for array, to the view
the new topology builds itself. No database."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.domain import RelationType
from graph.impact.topology import Topology
from graph.impact.topology._arrays import View
from graph.impact.topology._columns import CODE_OF_TYPE, EdgeColumns, NodeColumns
from graph.impact.topology._delta import CIState
from graph.impact.topology._patch import patched
from tests.graph.impact.topology.helpers import canonical

TYPES = ["DEPENDS_ON", "RUNS_ON", "HOSTED_ON"]
SCOPES = [
    (frozenset(RelationType), False),
    (frozenset(RelationType), True),
    (frozenset({RelationType.DEPENDS_ON, RelationType.RUNS_ON}), False),
]
ARRAYS = ("out_ptr", "out_target", "out_pool", "in_ptr", "in_source", "in_pool", "members")


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Topology, NodeColumns]:
    size = draw(st.integers(2, 25))
    ids = [f"ci-{i:02d}" for i in range(size)]
    end = st.integers(0, size - 1)
    edges = draw(st.lists(st.tuples(end, end, st.sampled_from(TYPES), st.booleans()), max_size=60))
    nodes = NodeColumns(
        ids=ids,
        names=[f"n{draw(st.integers(0, 5))}" for _ in ids],
        labels=["Application"] * size,
        statuses=[draw(st.sampled_from(["ACTIVE", "ACTIVE", "RETIRED"])) for _ in ids],
        criticality=[None] * size,
    )
    topology = Topology(
        nodes,
        EdgeColumns(
            sources=[ids[s] for s, _, _, _ in edges],
            targets=[ids[t] for _, t, _, _ in edges],
            types=[kind for _, _, kind, _ in edges],
            groups=["pool" if pooled else None for _, _, _, pooled in edges],
        ),
    )
    return topology, nodes


def rebuilt(t: Topology, nodes: NodeColumns) -> Topology:
    """A topology built from scratch with `t`'s CIs and edges."""
    f = t.forward
    types = {code: name for name, code in CODE_OF_TYPE.items()}
    return Topology(
        nodes,
        EdgeColumns(
            sources=[t.ids[i] for i in f.source.tolist()],
            targets=[t.ids[i] for i in f.target.tolist()],
            types=[types[k] for k in f.kind.tolist()],
            groups=[t.pool_group[p] if p >= 0 else None for p in f.pool.tolist()],
        ),
    )


def assert_sorted(t: Topology) -> None:
    for edges, keys in (
        (t.forward, (t.forward.pool, t.forward.target, t.forward.source)),
        (t.backward, (t.backward.pool, t.backward.source, t.backward.target)),
    ):
        assert np.array_equal(np.lexsort(keys), np.arange(len(edges.source)))


def out_edges(t: Topology, node: int) -> list[tuple[str, int, str]]:
    f = t.forward
    lo, hi = np.searchsorted(f.source, [node, node + 1])
    return [
        (t.ids[target], int(kind), t.pool_group[pool] if pool >= 0 else "")
        for target, kind, pool in zip(
            f.target[lo:hi].tolist(), f.kind[lo:hi].tolist(), f.pool[lo:hi].tolist(), strict=True
        )
    ]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(graph=graphs(), data=st.data())
def test_spliced_edges_and_views_equal_those_built_afresh(
    graph: tuple[Topology, NodeColumns], data: st.DataObject
) -> None:
    t, nodes = graph
    for types, include_retired in SCOPES:
        t.view(types, include_retired)
    touched = data.draw(st.sets(st.integers(0, t.size - 1), min_size=1, max_size=3))
    states = {}
    for node in sorted(touched):
        edges = out_edges(t, node)
        dropped = data.draw(st.sets(st.integers(0, max(len(edges) - 1, 0)), max_size=2))
        kept = [e for i, e in enumerate(edges) if i not in dropped]
        added = data.draw(
            st.lists(st.tuples(st.integers(0, t.size - 1), st.sampled_from(TYPES)), max_size=3)
        )
        new = kept + [(t.ids[target], CODE_OF_TYPE[kind], "") for target, kind in added]
        states[t.ids[node]] = CIState(
            t.names[node],
            int(t.ci_class[node]),
            bool(t.retired[node]),
            int(t.criticality[node]),
            tuple(new),
        )

    after = patched(t, states)

    assert_sorted(after)
    assert canonical(after) == canonical(rebuilt(after, nodes))
    expected = {
        (t.ids[node], edge)
        for node in range(t.size)
        if node not in touched
        for edge in out_edges(t, node)
    } | {(ci, edge) for ci, state in states.items() for edge in state.edges}
    assert {(after.ids[n], e) for n in range(after.size) for e in out_edges(after, n)} == expected
    for (types, include_retired), view in after.built():
        assert view.topology is after
        fresh = View(after, types, include_retired)
        for name in ARRAYS:
            assert np.array_equal(getattr(view, name), getattr(fresh, name)), name
        assert np.array_equal(view.needed, fresh.needed)


def test_a_relate_on_a_ci_owning_no_pool_keeps_the_views_spliced() -> None:
    ids = ["a", "b", "c"]
    t = Topology(
        NodeColumns(ids, ids, ["Application"] * 3, ["ACTIVE"] * 3, [None] * 3),
        EdgeColumns(["a"], ["b"], ["DEPENDS_ON"], [None]),
    )
    view = t.view(RelationType, False)
    code = CODE_OF_TYPE["DEPENDS_ON"]
    edges = (("b", code, ""), ("c", code, ""))

    after = patched(t, {"a": CIState("a", int(t.ci_class[0]), False, int(t.criticality[0]), edges)})

    [(_, spliced)] = after.built()
    assert spliced is not view and spliced.out_target.tolist() == [1, 2]
    assert spliced.in_source.tolist() == [0, 0]
