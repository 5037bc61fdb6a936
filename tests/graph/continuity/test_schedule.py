"""The continuity schedule over a recovery order, without a database."""

from __future__ import annotations

from graph.continuity import restore_minutes, schedule_recovery


def test_a_step_starts_when_the_slowest_of_its_dependencies_is_restored() -> None:
    steps = [("db",), ("cache",), ("app",)]
    needs = {"app": ["db", "cache"]}

    schedule = schedule_recovery(steps, needs, {"db": 30, "cache": 10, "app": 5})

    assert [(s.start_minute, s.finish_minute, s.wave) for s in schedule.steps] == [
        (0, 30, 1),
        (0, 10, 1),
        (30, 35, 2),
    ]
    assert schedule.achievable_minutes == 35
    assert [s.ci_ids for s in schedule.critical_path] == [("db",), ("app",)]
    assert schedule.without_restore_time == ()


def test_a_cycle_takes_its_slowest_member_and_a_ci_without_time_counts_zero() -> None:
    steps = [("a", "b"), ("svc",)]
    needs = {"a": ["b"], "b": ["a"], "svc": ["a"]}

    schedule = schedule_recovery(steps, needs, {"a": 7, "b": 12, "svc": None})

    assert [s.restore_minutes for s in schedule.steps] == [12, 0]
    assert schedule.achievable_minutes == 12
    assert schedule.without_restore_time == ("svc",)


def test_an_empty_order_takes_no_time() -> None:
    assert schedule_recovery([], {}, {}).achievable_minutes == 0


def test_restore_minutes_are_whole_non_negative_numbers() -> None:
    assert restore_minutes(" 45 ") == 45
    assert restore_minutes("1.5") is None
    assert restore_minutes("-3") is None
    assert restore_minutes(None) is None
