"""The array algorithms over a topology (graph/_topology*.py) against the pure algorithms over
the same subgraph (graph/_algorithms*.py), themselves checked against naive references: on
random graphs with cycles, pools, minOperational and ties between names, they agree on every
depth, path, state and single point of failure. No database."""

from __future__ import annotations

from hypothesis import given, settings

from graph.domain import CIClass, RelationType, State
from graph.impact._subgraph import Edge, NodeInfo, Subgraph
from graph.impact.topology import Topology, analyse_impact, fatal_alone
from graph.impact.topology import single_points_of_failure as topology_spof
from graph.impact.topology._arrays import MAX_VIEWS
from graph.impact.topology._reach import down_rounds
from graph.impact.topology._reach import upstream as topology_upstream
from tests.graph.impact.reference import propagate, single_points_of_failure, upstream
from tests.graph.impact.test_algorithms_properties import MAX_CIS, Case, cases

checked = settings(max_examples=200, deadline=None, derandomize=True)
EVERYTHING = MAX_CIS + 2
"""A depth no path of a random graph reaches."""


@checked
@given(case=cases())
def test_impact_agrees_with_the_pure_algorithms_on_depth_path_and_state(case: Case) -> None:
    failed = sorted(case.picked & set(case.ids))
    outcomes = propagate(case.subgraph, failed)
    reach = upstream(case.subgraph, failed, EVERYTHING)

    analysis = analyse_impact(Topology.from_subgraph(case.subgraph), failed, EVERYTHING)
    found = analysis.impacted(0, analysis.count)

    expected = {ci: hops for ci, hops in reach.depth.items() if hops > 0 and ci in outcomes}
    assert {item.ci.id: item.depth for item in found} == expected
    for item in found:
        assert item.path == reach.path(item.ci.id)
        assert item.state is outcomes[item.ci.id].state
    assert [item.depth for item in found] == sorted(item.depth for item in found)
    assert analysis.changed == tuple(sorted(failed, key=lambda ci: case.subgraph.nodes[ci].name))


@checked
@given(case=cases())
def test_every_reason_leads_back_to_a_failed_ci(case: Case) -> None:
    failed = sorted(case.picked & set(case.ids))
    topology = Topology.from_subgraph(case.subgraph)

    analysis = analyse_impact(topology, failed, EVERYTHING)

    explained = {item.ci.id: item for item in analysis.impacted(0, analysis.count)}
    for item in explained.values():
        assert item.cause_ids, item
        seen = {item.ci.id}
        cause = item.cause_ids[0]
        while cause not in failed:
            assert cause not in seen, f"{item.ci.id}: causes go round a cycle"
            seen.add(cause)
            cause = explained[cause].cause_ids[0]
        if item.state is State.DOWN:
            assert "(DEGRADED)" not in item.reason


@checked
@given(case=cases())
def test_down_rounds_give_the_least_fixed_point(case: Case) -> None:
    failed = sorted(case.picked & set(case.ids))
    topology = Topology.from_subgraph(case.subgraph)
    view = topology.view(RelationType, False)
    starts = topology.indices(failed, False)[0]
    reached = topology_upstream(view, starts, EVERYTHING).depth >= 0

    rounds = down_rounds(view, starts, reached)

    down = {topology.ids[i] for i in range(topology.size) if rounds[i] >= 0}
    outcomes = propagate(case.subgraph, failed)
    assert down == {ci for ci, outcome in outcomes.items() if outcome.state is State.DOWN}


@checked
@given(case=cases())
def test_single_points_of_failure_agree_with_the_pure_algorithm(case: Case) -> None:
    expected = single_points_of_failure(case.subgraph, case.start)

    found = topology_spof(Topology.from_subgraph(case.subgraph), case.start)

    assert found is not None
    assert [ci.id for ci in found] == expected


@checked
@given(case=cases())
def test_fatal_alone_is_the_single_points_of_failure_among_the_cis_asked(case: Case) -> None:
    # Every CI of the graph asked of the start, as a change's targets are asked of a service.
    expected = set(single_points_of_failure(case.subgraph, case.start))

    topology = Topology.from_subgraph(case.subgraph)
    # Edge targets outside the subgraph's nodes are CIs of the topology too.
    found = fatal_alone(topology, list(topology.ids), [case.start, "nowhere"])

    assert found == {case.start: frozenset(expected), "nowhere": frozenset()}


def test_states_are_propagated_only_when_one_is_asked() -> None:
    subgraph = Subgraph(
        {c: NodeInfo(c, c, CIClass.SERVER) for c in ("db", "app", "web")},
        (Edge("app", "db", RelationType.DEPENDS_ON), Edge("web", "app", RelationType.DEPENDS_ON)),
    )
    analysis = analyse_impact(Topology.from_subgraph(subgraph), ["db"], 10)

    page = analysis.impacted(0, 10)

    assert [(item.ci.name, item.depth, item.path) for item in page] == [
        ("app", 1, ("db", "app")),
        ("web", 2, ("db", "app", "web")),
    ]
    assert "_explainer" not in vars(analysis)
    assert [(item.state, item.reason) for item in page] == [
        (State.DOWN, "depends on db (DOWN)"),
        (State.DOWN, "depends on app (DOWN)"),
    ]
    assert "_explainer" in vars(analysis)


def test_a_topology_keeps_its_most_recently_used_views_only() -> None:
    subgraph = Subgraph(
        {c: NodeInfo(c, c, CIClass.SERVER) for c in ("db", "app")},
        (Edge("app", "db", RelationType.DEPENDS_ON),),
    )
    topology = Topology.from_subgraph(subgraph)
    default = topology.view(RelationType, False)
    scopes = [(t,) for t in RelationType]

    for scope in scopes:
        topology.view(scope, False)
        assert topology.view(RelationType, False) is default

    assert len(vars(topology)["_views"]) == MAX_VIEWS
    assert topology.view(scopes[-1], False) is topology.view(scopes[-1], False)
