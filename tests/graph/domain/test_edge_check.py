"""The one edge check (`graph.domain.check_edge`) that relateCIs and the import share: pure."""

from __future__ import annotations

import math

import pytest

from graph.domain import MAX_GROUP, CIClass, RelationType, check_edge
from graph.errors import FieldError

HOSTED_ON = RelationType.HOSTED_ON
VM_ON_SERVER = (CIClass.VIRTUAL_MACHINE, CIClass.SERVER)


def codes(problems: list[FieldError]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def test_a_valid_edge_has_no_problems() -> None:
    assert (
        check_edge(
            HOSTED_ON,
            "vm",
            "host",
            confidence=0.5,
            redundancy_group="hosts",
            min_operational=1,
            classes=VM_ON_SERVER,
        )
        == []
    )


def test_a_ci_cannot_depend_on_itself() -> None:
    [problem] = check_edge(HOSTED_ON, "vm", "vm")
    assert problem == FieldError("to", "a CI cannot depend on itself", "INVALID_VALUE")


def test_unknown_ends_skip_the_self_loop_check() -> None:
    assert check_edge(None, None, None) == []


@pytest.mark.parametrize("confidence", [-0.01, 1.01, math.nan, math.inf])
def test_confidence_lies_between_0_and_1(confidence: float) -> None:
    [problem] = check_edge(HOSTED_ON, "vm", "host", confidence=confidence)
    assert problem == FieldError("confidence", "confidence must be between 0 and 1", "OUT_OF_RANGE")


@pytest.mark.parametrize("confidence", [0.0, 1.0])
def test_confidence_bounds_are_allowed(confidence: float) -> None:
    assert check_edge(HOSTED_ON, "vm", "host", confidence=confidence) == []


def test_a_redundancy_group_has_at_most_100_characters_after_stripping() -> None:
    assert check_edge(HOSTED_ON, "a", "b", redundancy_group=f"  {'g' * MAX_GROUP}  ") == []
    [problem] = check_edge(HOSTED_ON, "a", "b", redundancy_group="g" * (MAX_GROUP + 1))
    assert problem == FieldError("redundancyGroup", "at most 100 characters", "TOO_LONG")


def test_min_operational_needs_a_group() -> None:
    [problem] = check_edge(HOSTED_ON, "a", "b", redundancy_group="  ", min_operational=2)
    assert problem == FieldError(
        "minOperational", "minOperational needs a redundancyGroup", "REQUIRED"
    )


def test_min_operational_is_at_least_1() -> None:
    [problem] = check_edge(HOSTED_ON, "a", "b", redundancy_group="pool", min_operational=0)
    assert problem == FieldError(
        "minOperational", "minOperational must be at least 1", "OUT_OF_RANGE"
    )


def test_the_class_rule_explains_a_refused_pair() -> None:
    [problem] = check_edge(
        RelationType.RUNS_ON, "a", "b", classes=(CIClass.LOCATION, CIClass.SERVER)
    )
    assert (problem.field, problem.code) == ("type", "INVALID_VALUE")
    assert problem.message.startswith("a LOCATION cannot be the source of RUNS_ON")


def test_the_class_rule_waits_for_valid_values() -> None:
    problems = check_edge(
        RelationType.RUNS_ON, "a", "b", confidence=2.0, classes=(CIClass.LOCATION, CIClass.SERVER)
    )
    assert codes(problems) == [("confidence", "OUT_OF_RANGE")]


def test_every_value_problem_is_reported_at_once() -> None:
    problems = check_edge(
        HOSTED_ON, "a", "a", confidence=-1.0, redundancy_group="g" * 101, min_operational=0
    )
    assert codes(problems) == [
        ("to", "INVALID_VALUE"),
        ("confidence", "OUT_OF_RANGE"),
        ("redundancyGroup", "TOO_LONG"),
        ("minOperational", "OUT_OF_RANGE"),
    ]


def test_a_location_is_hosted_only_in_a_location() -> None:
    location = CIClass.LOCATION
    assert check_edge(HOSTED_ON, "a", "b", classes=(location, location)) == []
    [problem] = check_edge(HOSTED_ON, "a", "b", classes=(location, CIClass.SERVER))
    assert "allowed targets: LOCATION" in problem.message
