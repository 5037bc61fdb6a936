"""Which questions a run asks (bench/_questions.py): every one below 1m; at 1m the long ones
only when asked for. Pure, no server involved."""

from __future__ import annotations

from bench._questions import QUESTIONS, asked_at


def test_below_a_million_cis_every_question_is_asked() -> None:
    assert asked_at(100_000, long=False) == QUESTIONS


def test_at_a_million_the_writes_the_mixed_load_and_the_single_points_are_left_out() -> None:
    asked = {q.key for q in asked_at(1_000_000, long=False)}

    assert asked == {
        "ci_by_id",
        "cis_page_with_neighbours",
        "impact_leaf",
        "impact_shared_database",
        "impact_network_core",
        "simulate_outage",
        "impact_change_manager",
    }
    assert asked_at(1_000_000, long=True) == QUESTIONS


def test_the_questions_that_write_are_the_writes_the_change_and_the_mixed_load() -> None:
    keys = [q.key for q in QUESTIONS]

    assert keys.index("impact_change_manager") < keys.index("impact_after_write")
    assert {q.key for q in QUESTIONS if q.writes} == {
        "impact_after_write",
        "create_incident",
        "assess_change",
        "mixed_load",
    }
