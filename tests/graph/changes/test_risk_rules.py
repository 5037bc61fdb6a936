"""The risk rules without a database: the weights table as documented, levels by threshold,
caps, the order of factors, and properties: the score is the sum of the weights, and adding a
fact never lowers it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph.domain import (
    RISK_WEIGHTS,
    ChangeType,
    ImpactedBusinessService,
    PoolRedundancy,
    RiskFacts,
    RiskLevel,
    assess_risk,
)


def test_levels_start_at_20_45_and_75() -> None:
    level = RISK_WEIGHTS.level
    assert [level(s) for s in (0, 19, 20, 44, 45, 74, 75, 500)] == [
        RiskLevel.LOW,
        RiskLevel.LOW,
        RiskLevel.MEDIUM,
        RiskLevel.MEDIUM,
        RiskLevel.HIGH,
        RiskLevel.HIGH,
        RiskLevel.VERY_HIGH,
        RiskLevel.VERY_HIGH,
    ]


def test_emergency_weighs_more_than_normal_than_standard() -> None:
    scores = [
        assess_risk(RiskFacts(kind, assessed=True, target_count=1)).score
        for kind in (ChangeType.EMERGENCY, ChangeType.NORMAL, ChangeType.STANDARD)
    ]
    assert scores == [25, 10, 0]


def test_services_down_count_more_than_degraded_and_are_capped() -> None:
    down = [ImpactedBusinessService(f"s{n}", 1, True) for n in range(4)]
    degraded = [ImpactedBusinessService("d", 1, False)]

    risk = assess_risk(RiskFacts(ChangeType.STANDARD, True, 1, services=down + degraded))

    assert [(f.name, f.weight) for f in risk.factors] == [
        ("CHANGE_TYPE", 0),
        ("BUSINESS_SERVICES_DOWN", 50),
        ("BUSINESS_SERVICES_DEGRADED", 0),
    ]
    assert risk.factors[1].detail.endswith(
        "s0 (criticality 1), s1 (criticality 1), s2 (criticality 1), s3 (criticality 1)"
    )


def test_every_fact_is_named_in_a_factor_in_a_fixed_order() -> None:
    facts = RiskFacts(
        ChangeType.NORMAL,
        True,
        1,
        services=[ImpactedBusinessService("Checkout", 2, False)],
        single_points=[("orders-db", "Checkout")],
        pools=[PoolRedundancy("web-1", "Shop", "web", 1)],
        freezes=["Quarter end"],
        open_incidents=[("INC0001001", "P1"), ("INC0001002", "P2")],
        failed_changes=[("CHG0001001", "BACKED_OUT")],
        caused_incidents=[("INC0001003", "P2", "CHG0001001")],
    )

    risk = assess_risk(facts)

    assert [(f.name, f.weight) for f in risk.factors] == [
        ("CHANGE_TYPE", 10),
        ("BUSINESS_SERVICES_DEGRADED", 5),
        ("SINGLE_POINT_OF_FAILURE", 15),
        ("REDUNDANCY_LEFT", 5),
        ("FREEZE", 30),
        ("OPEN_INCIDENTS", 30),
        ("FAILED_CHANGES_ON_TARGETS", 10),
        ("INCIDENTS_CAUSED_ON_TARGETS", 5),
    ]
    assert (risk.score, risk.level) == (110, RiskLevel.VERY_HIGH)


def test_a_pool_below_its_minimum_weighs_most() -> None:
    pools = [PoolRedundancy("a", "Shop", "web", s) for s in (-3, 0, 1, 2)]
    risk = assess_risk(RiskFacts(ChangeType.STANDARD, True, 4, pools=pools))
    assert [f.weight for f in risk.factors[1:]] == [15, 10, 5, 0]
    assert "falls below its minimum" in risk.factors[1].detail


facts_strategy = st.builds(
    RiskFacts,
    change_type=st.sampled_from(list(ChangeType)),
    assessed=st.booleans(),
    target_count=st.integers(0, 10),
    services=st.lists(
        st.builds(
            ImpactedBusinessService,
            st.text(max_size=3),
            st.one_of(st.none(), st.integers(1, 5)),
            st.booleans(),
        ),
        max_size=8,
    ),
    open_incidents=st.lists(
        st.tuples(st.text(max_size=3), st.sampled_from(["P1", "P2"])), max_size=4
    ),
    failed_changes=st.lists(st.tuples(st.text(max_size=3), st.just("FAILED")), max_size=5),
)


@given(facts_strategy)
def test_the_score_is_the_sum_of_the_weights_and_the_level_follows_it(facts: RiskFacts) -> None:
    risk = assess_risk(facts)
    assert risk.score == sum(f.weight for f in risk.factors)
    assert risk.level is RISK_WEIGHTS.level(risk.score)
    assert all(f.weight >= 0 for f in risk.factors)


@given(facts_strategy)
def test_an_open_p1_never_lowers_the_score(facts: RiskFacts) -> None:
    more = RiskFacts(
        **{**facts.__dict__, "open_incidents": [*facts.open_incidents, ("INC9", "P1")]}
    )
    assert assess_risk(more).score >= assess_risk(facts).score


def test_a_group_with_a_poor_success_score_adds_weight_once_it_has_enough_changes() -> None:
    def factor(score: float, changes: int) -> list[tuple[str, int, str]]:
        facts = RiskFacts(
            ChangeType.STANDARD,
            assessed=True,
            target_count=1,
            group_success=("Web Platform", score, changes),
        )
        found = assess_risk(facts).factors
        return [(f.name, f.weight, f.detail) for f in found if f.name == "ASSIGNMENT_GROUP_SUCCESS"]

    assert factor(40.0, 4) == [
        (
            "ASSIGNMENT_GROUP_SUCCESS",
            15,
            "Web Platform's change success score is 40 over its 4 closed changes of the last "
            "180 days",
        )
    ]
    assert [w for _, w, _ in factor(60.5, 4)] == [5]
    assert factor(90.0, 4) == []
    assert factor(10.0, 2) == []
