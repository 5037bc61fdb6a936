"""The impact algorithms against deliberately naive reference implementations on random graphs,
cyclic ones included, with random pools, random minOperational and random failures."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.domain import CIClass, RelationType, State
from graph.impact._subgraph import Edge, NodeInfo, Subgraph
from graph.impact.algorithms import cost_rollup, recovery_order, root_cause_candidates
from tests.graph.impact.reference import propagate, single_points_of_failure, upstream

DOWN, DEGRADED, OPERATIONAL = State.DOWN, State.DEGRADED, State.OPERATIONAL
GROUPS = (None, "g", "h")
MAX_CIS = 9

checked = settings(max_examples=100, deadline=None, derandomize=True)


@dataclass(frozen=True)
class Case:
    subgraph: Subgraph
    ids: list[str]
    picked: frozenset[str]
    """Random CIs: the failed ones, or the given ones."""
    start: str
    """A random CI: the service, or the start."""


@st.composite
def cases(draw: st.DrawFn, *, acyclic: bool = False, exact_dependents: bool = False) -> Case:
    count = draw(st.integers(1, MAX_CIS))
    # Few names for many CIs, so ties between names are common and broken by id.
    names = draw(st.lists(st.sampled_from("ABCD"), min_size=count, max_size=count))
    ids = [f"ci{number}" for number in range(count)]
    if acyclic:
        # Edges only from a lower to a higher index: no cycles.
        pairs = st.tuples(
            st.integers(0, count - 1), st.integers(0, count - 1), st.sampled_from(GROUPS)
        )
        raw = draw(st.lists(pairs, max_size=3 * count))
        raw_edges = [(min(a, b), max(a, b), group) for a, b, group in raw if a != b]
    else:
        raw_edges = draw(
            st.lists(
                st.tuples(
                    st.integers(0, count), st.integers(0, count), st.sampled_from(GROUPS)
                ),  # index `count` is a CI the fetch left out
                max_size=3 * count,
            )
        )
    id_of = [*ids, "outside"]
    edges = tuple(
        Edge(id_of[s], id_of[t], draw(st.sampled_from(list(RelationType))), g)
        for s, t, g in raw_edges
        if s < count
    )
    nodes: dict[str, NodeInfo] = {}
    for number, ci in enumerate(ids):
        sources = {edge.source for edge in edges if edge.target == ci}
        nodes[ci] = NodeInfo(
            ci,
            names[number],
            CIClass.SERVER,
            monthly_cost=draw(
                st.none() | st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False)
            ),
            min_operational=draw(st.dictionaries(st.sampled_from(["g", "h"]), st.integers(-1, 4))),
            dependents_in_graph=(
                draw(st.sampled_from([0, len(sources)]))
                if exact_dependents
                else draw(st.integers(0, 5))
            ),
        )
    picked = frozenset(draw(st.lists(st.sampled_from([*ids, "outside"]), max_size=4)))
    return Case(Subgraph(nodes, edges), ids, picked, draw(st.sampled_from(ids)))


# Reference implementations: the definitions, read literally, recomputed from scratch.


def reference_states(subgraph: Subgraph, failed: Collection[str]) -> dict[str, State]:
    """Least fixed point: from all OPERATIONAL (failed DOWN), re-apply the rule to every CI
    until nothing changes."""
    everything = set(subgraph.nodes) | set(failed)
    everything |= {ci for edge in subgraph.edges for ci in (edge.source, edge.target)}
    state = {ci: DOWN if ci in failed else OPERATIONAL for ci in everything}
    changed = True
    while changed:
        changed = False
        for ci in sorted(everything - set(failed)):
            new = reference_rule(subgraph, ci, state)
            if new is not state[ci]:
                state[ci], changed = new, True
    return {ci: ci_state for ci, ci_state in state.items() if ci_state is not OPERATIONAL}


def reference_rule(subgraph: Subgraph, ci: str, state: dict[str, State]) -> State:
    out = [edge for edge in subgraph.edges if edge.source == ci]
    if any(edge.redundancy_group is None and state[edge.target] is DOWN for edge in out):
        return DOWN
    for group in {edge.redundancy_group for edge in out if edge.redundancy_group is not None}:
        members = {edge.target for edge in out if edge.redundancy_group == group}
        asked = subgraph.nodes[ci].min_operational.get(group, len(members))
        needed = min(max(asked, 0), len(members))
        if sum(state[member] is not DOWN for member in members) < needed:
            return DOWN
    if any(state[edge.target] is not OPERATIONAL for edge in out):
        return DEGRADED
    return OPERATIONAL


def reachable(subgraph: Subgraph, start: str, *, upwards: bool = False) -> dict[str, int]:
    """Hop counts from `start` along the edges (or against them), by repeated relaxation."""
    hops = {start: 0}
    changed = True
    while changed:
        changed = False
        for edge in subgraph.edges:
            near, far = (edge.target, edge.source) if upwards else (edge.source, edge.target)
            if near in hops and hops[near] + 1 < hops.get(far, len(subgraph.edges) + 2):
                hops[far], changed = hops[near] + 1, True
    return hops


def name_key(subgraph: Subgraph, ci: str) -> tuple[str, str]:
    return (subgraph.nodes[ci].name if ci in subgraph.nodes else ci, ci)


def reversed_edges(subgraph: Subgraph) -> Subgraph:
    return Subgraph(subgraph.nodes, subgraph.edges[::-1])


# Properties.


@checked
@given(cases())
def test_propagate_agrees_with_the_naive_fixed_point(case: Case) -> None:
    outcomes = propagate(case.subgraph, case.picked)

    assert {ci: outcome.state for ci, outcome in outcomes.items()} == reference_states(
        case.subgraph, case.picked
    )


@checked
@given(cases())
def test_every_reason_leads_back_to_a_failed_ci_through_true_causes(case: Case) -> None:
    outcomes = propagate(case.subgraph, case.picked)
    states = {ci: outcome.state for ci, outcome in outcomes.items()}

    for ci, outcome in outcomes.items():
        if ci in case.picked:
            assert outcome.reason == "failed"
            continue
        depends_on = {edge.target for edge in case.subgraph.edges if edge.source == ci}
        assert outcome.cause_ids and set(outcome.cause_ids) <= depends_on
        if outcome.pool is None:
            (cause,) = outcome.cause_ids
            name = case.subgraph.nodes[cause].name if cause in case.subgraph.nodes else cause
            assert outcome.reason == f"depends on {name} ({states[cause].value})"
        else:
            members = {
                e.target
                for e in case.subgraph.edges
                if e.source == ci and e.redundancy_group == outcome.pool
            }
            down = sorted(
                (m for m in members if states.get(m) is DOWN),
                key=lambda m: name_key(case.subgraph, m),
            )
            needed = min(
                max(case.subgraph.nodes[ci].min_operational.get(outcome.pool, len(members)), 0),
                len(members),
            )
            assert set(outcome.cause_ids) == set(down)
            assert list(outcome.cause_ids[1:]) == sorted(
                outcome.cause_ids[1:], key=lambda m: name_key(case.subgraph, m)
            )
            assert outcome.reason == (
                f"pool {outcome.pool}: {len(down)} of {len(members)} members affected, "
                f"{needed} needed, {len(members) - len(down)} remain"
            )
            assert (len(members) - len(down) < needed) == (outcome.state is DOWN)
        # Following the first cause never loops: it reaches a failed CI.
        seen = {ci}
        current = outcome
        while current.reason != "failed":
            current_id = current.cause_ids[0]
            assert current_id not in seen
            seen.add(current_id)
            current = outcomes[current_id]


@checked
@given(cases())
def test_propagate_does_not_depend_on_the_order_the_subgraph_was_fetched_in(case: Case) -> None:
    assert propagate(reversed_edges(case.subgraph), case.picked) == propagate(
        case.subgraph, case.picked
    )


@checked
@given(cases())
def test_single_points_of_failure_agree_with_the_naive_propagation(case: Case) -> None:
    service = case.start
    depth = reachable(case.subgraph, service)
    expected = [
        ci
        for ci in [*case.ids, "outside"]
        if ci != service and reference_states(case.subgraph, {ci}).get(service) is DOWN
    ]

    found = single_points_of_failure(case.subgraph, service)

    assert sorted(found) == sorted(expected)
    assert found == sorted(found, key=lambda ci: (depth[ci], *name_key(case.subgraph, ci)))
    assert single_points_of_failure(reversed_edges(case.subgraph), service) == found


@checked
@given(cases())
def test_recovery_order_puts_every_ci_after_its_dependencies_except_within_a_cycle(
    case: Case,
) -> None:
    plan = recovery_order(case.subgraph, case.start)
    step_of = {ci: number for number, step in enumerate(plan.steps) for ci in step}
    closure = reachable(case.subgraph, case.start)

    assert sorted(step_of) == sorted(closure)
    assert sum(len(step) for step in plan.steps) == len(closure)
    assert case.start in plan.steps[-1]
    for edge in case.subgraph.edges:
        if edge.source in closure:
            assert step_of[edge.target] <= step_of[edge.source]
    for step in plan.steps:
        for ci in step:
            for other in step:
                assert ci in reachable(case.subgraph, other)
    assert plan.cycles == tuple(
        step
        for step in plan.steps
        if len(step) > 1 or any(e.source == e.target == step[0] for e in case.subgraph.edges)
    )
    assert recovery_order(reversed_edges(case.subgraph), case.start) == plan
    # Of the steps whose dependencies are all up, the first by name (then id) comes next.
    for number, step in enumerate(plan.steps):
        ready = [
            later
            for later in plan.steps[number:]
            if all(
                step_of[edge.target] < number or edge.target in later
                for edge in case.subgraph.edges
                if edge.source in later
            )
        ]
        assert step == min(ready, key=lambda s: name_key(case.subgraph, s[0]))


@checked
@given(cases())
def test_cost_rollup_items_add_up_to_the_total_and_shares_stay_within_one(case: Case) -> None:
    breakdown = cost_rollup(case.subgraph, case.start)
    exact = sum((Fraction(item.own) * item.share_fraction for item in breakdown.items), Fraction())

    assert breakdown.total == sum((item.allocated for item in breakdown.items), Decimal(0))
    assert abs(Fraction(breakdown.total) - exact) <= Fraction(1, 200)
    assert sorted(item.ci_id for item in breakdown.items) == sorted(
        reachable(case.subgraph, case.start)
    )
    assert breakdown.items == tuple(
        sorted(breakdown.items, key=lambda item: item.allocated, reverse=True)
    )
    shares = {item.ci_id: item.share_fraction for item in breakdown.items}
    assert shares[case.start] == 1
    assert all(0 < share <= 1 for share in shares.values())


@checked
@given(cases(acyclic=True))
def test_on_a_dag_cost_shares_follow_the_recursive_definition(case: Case) -> None:
    breakdown = cost_rollup(case.subgraph, case.start)

    assert {item.ci_id: item.share_fraction for item in breakdown.items} == {
        ci: reference_share(case.subgraph, case.start, ci)
        for ci in reachable(case.subgraph, case.start)
    }


@checked
@given(cases(acyclic=True, exact_dependents=True))
def test_on_a_dag_the_cis_nobody_depends_on_carry_every_cost_in_full(case: Case) -> None:
    subgraph = case.subgraph
    roots = [ci for ci in case.ids if not any(edge.target == ci for edge in subgraph.edges)]
    carried = {ci: Fraction(0) for ci in case.ids}
    totals = Fraction(0)
    for root in roots:
        breakdown = cost_rollup(subgraph, root)
        totals += Fraction(breakdown.total)
        for item in breakdown.items:
            carried[item.ci_id] += item.share_fraction

    assert carried == {ci: 1 for ci in case.ids}
    own = sum((Fraction(node.monthly_cost or 0) for node in subgraph.nodes.values()), Fraction())
    assert abs(totals - own) <= Fraction(len(roots), 200)


def reference_share(subgraph: Subgraph, service: str, ci: str) -> Fraction:
    """w(service) = 1; w(d) = sum of w(p) / dependents(d) over its direct dependents p in the
    service's closure, dependents(d) being dependents_in_graph unless that is 0 or smaller than
    the dependents the subgraph shows."""
    closure = reachable(subgraph, service)
    memo: dict[str, Fraction] = {}

    def share(d: str) -> Fraction:
        if d == service:
            return Fraction(1)
        if d not in memo:
            dependents = {edge.source for edge in subgraph.edges if edge.target == d}
            in_graph = subgraph.nodes[d].dependents_in_graph if d in subgraph.nodes else 0
            divisor = in_graph if in_graph >= len(dependents) and in_graph else len(dependents)
            memo[d] = sum((share(p) / divisor for p in dependents if p in closure), Fraction())
        return memo[d]

    return share(ci)


@checked
@given(cases())
def test_upstream_gives_shortest_depths_real_paths_and_an_honest_truncation_flag(
    case: Case,
) -> None:
    limit = len(case.ids) // 3
    reach = upstream(case.subgraph, case.picked, limit)
    starts = case.picked
    expected: dict[str, int] = {}
    for start in starts:
        for ci, hops in reachable(case.subgraph, start, upwards=True).items():
            if hops <= limit:
                expected[ci] = min(hops, expected.get(ci, hops))

    assert dict(reach.depth) == expected
    edges = {(edge.target, edge.source) for edge in case.subgraph.edges}
    for ci, hops in reach.depth.items():
        path = reach.path(ci)
        assert len(path) == hops + 1 and path[0] in starts and path[-1] == ci
        assert all(pair in edges for pair in pairwise(path))
    assert reach.truncated == any(
        hops == limit and source not in expected
        for ci, hops in expected.items()
        for source, target in ((e.source, e.target) for e in case.subgraph.edges)
        if target == ci
    )
    assert upstream(reversed_edges(case.subgraph), case.picked, limit) == reach


@checked
@given(cases())
def test_root_cause_candidates_are_exactly_the_shared_dependencies_best_first(case: Case) -> None:
    given_cis = sorted(case.picked)
    below = {ci: reachable(case.subgraph, ci) for ci in given_cis}
    explains: dict[str, list[str]] = {}
    for ci in given_cis:
        for dependency in below[ci]:
            explains.setdefault(dependency, []).append(ci)

    found = root_cause_candidates(case.subgraph, case.picked)

    if len(given_cis) > 1:
        expected = {ci for ci, cis in explains.items() if len(cis) >= 2}
    else:
        expected = set(explains) - set(given_cis)
    assert {candidate.ci_id for candidate in found} == expected
    for candidate in found:
        assert candidate.explains == tuple(explains[candidate.ci_id])
        assert candidate.count == len(candidate.explains)
        assert candidate.total_distance == sum(
            below[ci][candidate.ci_id] for ci in candidate.explains
        )
    assert found == sorted(
        found,
        key=lambda c: (-c.count, c.total_distance, *name_key(case.subgraph, c.ci_id)),
    )
