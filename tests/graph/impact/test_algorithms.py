"""The impact algorithms on small hand-built topologies with exact expected answers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from graph.domain import CIClass, RelationType, State
from graph.impact._subgraph import Edge, NodeInfo, Subgraph
from graph.impact.algorithms import (
    CostShare,
    RecoveryPlan,
    RootCause,
    cost_rollup,
    recovery_order,
    root_cause_candidates,
)
from tests.graph.impact.reference import Outcome, propagate, single_points_of_failure, upstream

DOWN, DEGRADED = State.DOWN, State.DEGRADED


def ci(
    ci_id: str,
    *,
    cost: str | None = None,
    needs: dict[str, int] | None = None,
    dependents: int = 0,
) -> NodeInfo:
    """A CI named like its id, capitalised."""
    return NodeInfo(
        ci_id,
        ci_id.capitalize(),
        CIClass.APPLICATION,
        monthly_cost=Decimal(cost) if cost is not None else None,
        min_operational=needs or {},
        dependents_in_graph=dependents,
    )


def graph(nodes: list[NodeInfo], *edges: tuple[str, str] | tuple[str, str, str]) -> Subgraph:
    """Edges as (dependent, dependency) or (dependent, dependency, redundancy group)."""
    return Subgraph(
        {node.id: node for node in nodes},
        tuple(
            Edge(edge[0], edge[1], RelationType.DEPENDS_ON, edge[2] if len(edge) == 3 else None)
            for edge in edges
        ),
    )


def cis(*ids: str) -> list[NodeInfo]:
    return [ci(ci_id) for ci_id in ids]


CHAIN = graph(cis("shop", "app", "db", "server"), ("shop", "app"), ("app", "db"), ("db", "server"))
DIAMOND = graph(
    cis("shop", "left", "right", "db"),
    ("shop", "left"),
    ("shop", "right"),
    ("left", "db"),
    ("right", "db"),
)
CYCLE = graph(cis("a", "b", "c", "disk"), ("a", "b"), ("b", "c"), ("c", "a"), ("c", "disk"))


def pool(needed: int | None) -> Subgraph:
    """A shop behind a front end that needs `needed` of three web servers (None: all)."""
    front = ci("front", needs={"web": needed} if needed is not None else None)
    return graph(
        [ci("shop"), front, *cis("web1", "web2", "web3", "host")],
        ("shop", "front"),
        ("front", "web1", "web"),
        ("front", "web2", "web"),
        ("front", "web3", "web"),
        ("web1", "host"),
        ("web2", "host"),
        ("web3", "host"),
    )


def test_failure_at_the_bottom_of_a_chain_takes_every_dependent_down() -> None:
    assert propagate(CHAIN, ["server"]) == {
        "server": Outcome(DOWN, "failed"),
        "db": Outcome(DOWN, "depends on Server (DOWN)", ("server",)),
        "app": Outcome(DOWN, "depends on Db (DOWN)", ("db",)),
        "shop": Outcome(DOWN, "depends on App (DOWN)", ("app",)),
    }


def test_upstream_of_a_chain_gives_each_depth_and_path() -> None:
    reach = upstream(CHAIN, ["server"], 10)

    assert reach.depth == {"server": 0, "db": 1, "app": 2, "shop": 3}
    assert reach.path("shop") == ("server", "db", "app", "shop")
    assert reach.path("server") == ("server",)
    assert reach.path("nowhere") == ()
    assert not reach.truncated


def test_upstream_reports_when_the_depth_limit_cut_something_off() -> None:
    assert upstream(CHAIN, ["server"], 2).depth == {"server": 0, "db": 1, "app": 2}
    assert upstream(CHAIN, ["server"], 2).truncated
    assert not upstream(CHAIN, ["server"], 3).truncated
    assert upstream(CHAIN, ["server"], 0).depth == {"server": 0}
    assert upstream(CHAIN, ["server"], 0).truncated
    with pytest.raises(ValueError):
        upstream(CHAIN, ["server"], -1)


def test_diamond_lists_each_ci_once_at_its_shortest_depth() -> None:
    reach = upstream(DIAMOND, ["db"], 10)

    assert reach.depth == {"db": 0, "left": 1, "right": 1, "shop": 2}
    assert reach.path("shop") == ("db", "left", "shop")
    assert list(propagate(DIAMOND, ["db"])) == ["db", "left", "right", "shop"]


def test_equally_short_paths_from_several_starts_go_through_the_first_by_name() -> None:
    reach = upstream(DIAMOND, ["right", "left"], 10)

    assert reach.depth == {"left": 0, "right": 0, "shop": 1}
    assert reach.path("shop") == ("left", "shop")


def test_cycle_terminates_and_explains_from_the_failure_not_around_the_cycle() -> None:
    assert propagate(CYCLE, ["disk"]) == {
        "disk": Outcome(DOWN, "failed"),
        "c": Outcome(DOWN, "depends on Disk (DOWN)", ("disk",)),
        "b": Outcome(DOWN, "depends on C (DOWN)", ("c",)),
        "a": Outcome(DOWN, "depends on B (DOWN)", ("b",)),
    }
    assert upstream(CYCLE, ["disk"], 10).depth == {"disk": 0, "c": 1, "b": 2, "a": 3}


def test_recovery_order_brings_a_cycle_up_as_one_group() -> None:
    assert recovery_order(CYCLE, "a") == RecoveryPlan(
        steps=(("disk",), ("a", "b", "c")), cycles=(("a", "b", "c"),)
    )


def test_a_ci_depending_on_itself_is_a_cycle_of_one() -> None:
    loop = graph(cis("shop", "db"), ("shop", "db"), ("db", "db"))

    assert recovery_order(loop, "shop") == RecoveryPlan((("db",), ("shop",)), (("db",),))
    assert propagate(loop, ["db"]) == {
        "db": Outcome(DOWN, "failed"),
        "shop": Outcome(DOWN, "depends on Db (DOWN)", ("db",)),
    }


def test_one_member_down_in_a_pool_that_needs_two_of_three_degrades_its_dependents() -> None:
    assert propagate(pool(2), ["web1"]) == {
        "web1": Outcome(DOWN, "failed"),
        "front": Outcome(
            DEGRADED, "pool web: 1 of 3 members affected, 2 needed, 2 remain", ("web1",), "web"
        ),
        "shop": Outcome(DEGRADED, "depends on Front (DEGRADED)", ("front",)),
    }


def test_two_members_down_in_a_pool_that_needs_two_of_three_take_it_down() -> None:
    outcomes = propagate(pool(2), ["web3", "web1"])

    assert outcomes["front"] == Outcome(
        DOWN, "pool web: 2 of 3 members affected, 2 needed, 1 remain", ("web3", "web1"), "web"
    )
    assert outcomes["shop"] == Outcome(DOWN, "depends on Front (DOWN)", ("front",))


def test_a_pool_without_min_operational_needs_all_its_members() -> None:
    assert propagate(pool(None), ["web3"])["front"] == Outcome(
        DOWN, "pool web: 1 of 3 members affected, 3 needed, 2 remain", ("web3",), "web"
    )


def test_a_pool_asking_for_more_members_than_it_has_needs_all_and_none_never_breaks() -> None:
    assert propagate(pool(5), []) == {}
    assert propagate(pool(5), ["web1"])["front"].state is DOWN
    assert propagate(pool(0), ["web1", "web2", "web3"])["front"] == Outcome(
        DEGRADED,
        "pool web: 3 of 3 members affected, 0 needed, 0 remain",
        ("web1", "web2", "web3"),
        "web",
    )


def test_a_held_pool_is_a_more_severe_reason_than_a_degraded_dependency() -> None:
    # The cache fails first, so front is DEGRADED through api before web1 goes DOWN.
    subgraph = graph(
        [
            ci("front", needs={"web": 1}),
            ci("api", needs={"caches": 1}),
            *cis("web1", "web2", "cache", "cache2", "zdisk"),
        ],
        ("front", "api"),
        ("front", "web1", "web"),
        ("front", "web2", "web"),
        ("api", "cache", "caches"),
        ("api", "cache2", "caches"),
        ("web1", "zdisk"),
    )

    outcomes = propagate(subgraph, ["zdisk", "cache"])

    assert outcomes["api"] == Outcome(
        DEGRADED, "pool caches: 1 of 2 members affected, 1 needed, 1 remain", ("cache",), "caches"
    )
    assert outcomes["front"] == Outcome(
        DEGRADED, "pool web: 1 of 2 members affected, 1 needed, 1 remain", ("web1",), "web"
    )


def test_a_pool_reason_names_the_member_that_tipped_it_first_not_one_it_took_down() -> None:
    # alpha depends on front, so it goes DOWN after front: it must not be front's first cause.
    looped = graph(
        cis("front", "alpha", "zeta"),
        ("front", "alpha", "web"),
        ("front", "zeta", "web"),
        ("alpha", "front"),
    )

    assert propagate(looped, ["zeta"]) == {
        "zeta": Outcome(DOWN, "failed"),
        "front": Outcome(
            DOWN, "pool web: 2 of 2 members affected, 2 needed, 0 remain", ("zeta", "alpha"), "web"
        ),
        "alpha": Outcome(DOWN, "depends on Front (DOWN)", ("front",)),
    }


def test_a_ci_that_changes_twice_before_it_is_announced_counts_once_in_a_pool() -> None:
    # mid becomes DEGRADED (pool) then DOWN (plain) before its dependents hear of either;
    # top's pool of three needing two must see one member down, not two.
    subgraph = graph(
        [ci("top", needs={"mids": 2}), ci("mid", needs={"left": 1}), *cis("f1", "f2", "m2", "m3")],
        ("mid", "f1", "left"),
        ("mid", "m2", "left"),
        ("mid", "f2"),
        ("top", "mid", "mids"),
        ("top", "m2", "mids"),
        ("top", "m3", "mids"),
    )

    outcomes = propagate(subgraph, ["f1", "f2"])

    assert outcomes["mid"] == Outcome(DOWN, "depends on F2 (DOWN)", ("f2",))
    assert outcomes["top"] == Outcome(
        DEGRADED, "pool mids: 1 of 3 members affected, 2 needed, 2 remain", ("mid",), "mids"
    )


def test_dependencies_missing_from_the_subgraph_are_operational() -> None:
    subgraph = graph(cis("shop"), ("shop", "elsewhere"))

    assert propagate(subgraph, []) == {}
    assert propagate(subgraph, ["elsewhere"])["shop"] == Outcome(
        DOWN, "depends on elsewhere (DOWN)", ("elsewhere",)
    )


def test_a_hub_everything_passes_through_is_a_single_point_of_failure_of_every_service() -> None:
    hub = graph(
        cis("billing", "shop", "billing-app", "shop-app", "core"),
        ("billing", "billing-app"),
        ("shop", "shop-app"),
        ("billing-app", "core"),
        ("shop-app", "core"),
    )

    assert single_points_of_failure(hub, "billing") == ["billing-app", "core"]
    assert single_points_of_failure(hub, "shop") == ["shop-app", "core"]


def test_a_pool_member_is_not_a_single_point_of_failure_but_the_host_they_share_is() -> None:
    assert single_points_of_failure(pool(2), "shop") == ["front", "host"]
    assert single_points_of_failure(pool(None), "shop") == ["front", "web1", "web2", "web3", "host"]


def test_a_service_in_a_cycle_is_not_its_own_single_point_of_failure() -> None:
    assert single_points_of_failure(CYCLE, "a") == ["b", "c", "disk"]
    assert single_points_of_failure(CHAIN, "server") == []


def test_root_cause_candidates_rank_shared_dependencies_by_what_they_explain() -> None:
    shared = graph(
        cis("billing", "shop", "crm", "billing-app", "shop-app", "db", "server"),
        ("billing", "billing-app"),
        ("shop", "shop-app"),
        ("billing-app", "db"),
        ("shop-app", "db"),
        ("db", "server"),
        ("crm", "server"),
    )

    assert root_cause_candidates(shared, ["shop", "billing", "crm"]) == [
        RootCause("server", ("billing", "crm", "shop"), 3, 7),
        RootCause("db", ("billing", "shop"), 2, 4),
    ]


def test_a_given_ci_others_depend_on_is_its_own_root_cause_candidate() -> None:
    assert root_cause_candidates(CHAIN, ["shop", "app"]) == [
        RootCause("app", ("app", "shop"), 2, 1),
        RootCause("db", ("app", "shop"), 2, 3),
        RootCause("server", ("app", "shop"), 2, 5),
    ]


def test_one_given_ci_gets_all_its_dependencies_nearest_first() -> None:
    assert root_cause_candidates(DIAMOND, ["shop"]) == [
        RootCause("left", ("shop",), 1, 1),
        RootCause("right", ("shop",), 1, 1),
        RootCause("db", ("shop",), 1, 2),
    ]
    assert root_cause_candidates(DIAMOND, []) == []


def test_recovery_order_of_a_dag_puts_dependencies_first_and_the_service_last() -> None:
    dag = graph(
        cis("shop", "web", "app", "db", "server", "unrelated"),
        ("shop", "web"),
        ("shop", "app"),
        ("web", "db"),
        ("app", "db"),
        ("db", "server"),
        ("unrelated", "db"),
    )

    assert recovery_order(dag, "shop") == RecoveryPlan(
        (("server",), ("db",), ("app",), ("web",), ("shop",)), ()
    )
    assert recovery_order(dag, "server") == RecoveryPlan((("server",),), ())


def test_recovery_order_starts_with_the_first_leaf_by_name() -> None:
    leaves = graph(
        cis("shop", "zone", "disk", "app"), ("shop", "zone"), ("shop", "app"), ("app", "disk")
    )

    assert recovery_order(leaves, "shop").steps == (("disk",), ("app",), ("zone",), ("shop",))


def test_a_shared_ci_costs_each_of_its_two_dependents_half() -> None:
    shared = graph(
        [ci("shop", cost="10"), ci("billing", cost="5"), ci("db", cost="100", dependents=2)],
        ("shop", "db"),
        ("billing", "db"),
    )

    breakdown = cost_rollup(shared, "shop")

    assert breakdown.total == Decimal("60.00")
    assert breakdown.items == (
        CostShare("db", Decimal("100"), Fraction(1, 2), Decimal("50.00")),
        CostShare("shop", Decimal("10"), Fraction(1), Decimal("10.00")),
    )


def test_cost_is_split_among_dependents_in_the_whole_graph_not_only_the_subgraph() -> None:
    fetched = graph([ci("shop", cost="10"), ci("db", cost="100", dependents=4)], ("shop", "db"))
    unknown = graph([ci("shop"), ci("db", cost="100", dependents=0)], ("shop", "db"))

    assert cost_rollup(fetched, "shop").total == Decimal("35.00")
    assert cost_rollup(unknown, "shop").total == Decimal("100.00")


def test_cost_shares_flow_down_recursively_and_rounding_adds_up_to_the_total() -> None:
    layered = graph(
        [
            ci("shop"),
            ci("app", cost="0.01", dependents=3),
            ci("db", cost="1", dependents=1),
            ci("disk", cost="0.02", dependents=3),
        ],
        ("shop", "app"),
        ("app", "db"),
        ("shop", "disk"),
    )

    breakdown = cost_rollup(layered, "shop")

    assert {item.ci_id: item.share_fraction for item in breakdown.items} == {
        "shop": 1,
        "app": Fraction(1, 3),
        "db": Fraction(1, 3),
        "disk": Fraction(1, 3),
    }
    assert [item.ci_id for item in breakdown.items] == ["db", "disk", "app", "shop"]
    assert [item.allocated for item in breakdown.items] == [
        Decimal("0.33"),
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert breakdown.total == Decimal("0.34")


def test_cost_rollup_ignores_the_edge_that_closes_a_cycle() -> None:
    looped = graph(
        [ci("a", cost="10"), ci("b", cost="20", dependents=1), ci("c", cost="40", dependents=1)],
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
    )

    assert cost_rollup(looped, "a").total == Decimal("70.00")
