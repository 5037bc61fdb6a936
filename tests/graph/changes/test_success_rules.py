"""The success score and change failure rate rules without a database, and a property test
against a naive reference of the documented arithmetic."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from graph.domain import (
    ChangeOutcome,
    Priority,
    ReviewedChange,
    change_points,
    failure_rate,
    is_failure,
    success_score,
    success_scores,
)

Outcome = ChangeOutcome


def reviewed(number: str, outcome: ChangeOutcome, *caused: Priority) -> ReviewedChange:
    return ReviewedChange(number, outcome, tuple(caused))


def test_points_follow_the_published_servicenow_weights() -> None:
    assert change_points(reviewed("C1", Outcome.SUCCESSFUL)) == 3
    assert change_points(reviewed("C1", Outcome.SUCCESSFUL_WITH_ISSUES)) == -2
    assert change_points(reviewed("C1", Outcome.FAILED)) == -5
    assert change_points(reviewed("C1", Outcome.BACKED_OUT)) == -5
    caused = reviewed("C1", Outcome.SUCCESSFUL, Priority.P1, Priority.P2, Priority.P3, Priority.P4)
    assert change_points(caused) == 3 - 10 - 5 - 2


def test_a_successful_change_without_incidents_scores_100_and_a_failed_one_with_a_p1_zero() -> None:
    assert success_score([reviewed("C1", Outcome.SUCCESSFUL)]).score == 100.0
    assert success_score([reviewed("C1", Outcome.FAILED, Priority.P1)]).score == 0.0


def test_a_change_worse_than_the_floor_counts_as_the_floor() -> None:
    disaster = reviewed("C1", Outcome.FAILED, Priority.P1, Priority.P1)
    score = success_score([disaster, reviewed("C2", Outcome.SUCCESSFUL)])
    assert score.points == -25 + 3
    assert score.score == 50.0


def test_the_score_is_the_mean_of_the_normalised_points_so_group_size_does_not_matter() -> None:
    few = [reviewed("C1", Outcome.SUCCESSFUL), reviewed("C2", Outcome.SUCCESSFUL_WITH_ISSUES)]
    many = [reviewed(f"C{n}", c.outcome) for n, c in enumerate(few * 10)]
    # (3 + 15) / 18 = 1 and (-2 + 15) / 18 = 0.7222: the mean is 86.1 for both.
    assert success_score(few).score == success_score(many).score == 86.1
    assert success_score(many).points == 10 * success_score(few).points


def test_the_score_counts_outcomes_and_caused_incidents_by_priority() -> None:
    score = success_score(
        [
            reviewed("C1", Outcome.SUCCESSFUL),
            reviewed("C2", Outcome.SUCCESSFUL_WITH_ISSUES, Priority.P3),
            reviewed("C3", Outcome.FAILED, Priority.P2),
            reviewed("C4", Outcome.BACKED_OUT),
        ],
        key="database-team",
    )
    assert (score.changes, score.successful, score.with_issues, score.failed) == (4, 1, 1, 1)
    assert score.backed_out == 1
    assert score.caused_incidents[Priority.P2] == 1
    assert score.caused_incidents[Priority.P3] == 1
    assert score.caused_incidents[Priority.P1] == 0
    assert score.points == 3 - 4 - 10 - 5
    # Normalised: 18/18, 11/18, 5/18, 10/18 -> 44/72.
    assert score.score == 61.1
    assert score.key == "database-team"


def test_no_changes_have_no_score() -> None:
    empty = success_score([])
    assert empty.changes == 0
    assert empty.score is None
    assert failure_rate([]).rate is None


def test_scores_group_a_change_under_each_of_its_keys_lowest_score_first() -> None:
    scores = success_scores(
        [
            (("db", "host"), reviewed("C1", Outcome.SUCCESSFUL)),
            (("db", "db"), reviewed("C2", Outcome.FAILED)),
            ((None,), reviewed("C3", Outcome.SUCCESSFUL)),
        ]
    )
    assert [(s.key, s.changes, s.score) for s in scores] == [
        ("db", 2, 77.8),
        ("host", 1, 100.0),
        (None, 1, 100.0),
    ]


def test_failed_backed_out_and_incident_causing_changes_count_as_failures() -> None:
    assert is_failure(reviewed("C1", Outcome.FAILED))
    assert is_failure(reviewed("C1", Outcome.BACKED_OUT))
    assert is_failure(reviewed("C1", Outcome.SUCCESSFUL, Priority.P5))
    assert not is_failure(reviewed("C1", Outcome.SUCCESSFUL_WITH_ISSUES))
    rate = failure_rate(
        [
            reviewed("C3", Outcome.SUCCESSFUL, Priority.P4),
            reviewed("C1", Outcome.SUCCESSFUL),
            reviewed("C2", Outcome.BACKED_OUT),
        ]
    )
    assert rate.failed == ("C2", "C3")
    assert rate.total == 3
    assert rate.rate == 0.6667


_WEIGHTS = {"SUCCESSFUL": 3, "SUCCESSFUL_WITH_ISSUES": -2, "FAILED": -5, "BACKED_OUT": -5}
_INCIDENTS = {"P1": -10, "P2": -5, "P3": -2, "P4": 0, "P5": 0}

changes = st.lists(
    st.tuples(
        st.sampled_from(list(ChangeOutcome)),
        st.lists(st.sampled_from(list(Priority)), max_size=4),
    ),
    max_size=30,
)


@given(changes)
def test_score_and_rate_agree_with_the_documented_arithmetic(
    drawn: list[tuple[ChangeOutcome, list[Priority]]],
) -> None:
    listed = [reviewed(f"C{n}", o, *c) for n, (o, c) in enumerate(drawn)]
    raw = [_WEIGHTS[o.value] + sum(_INCIDENTS[p.value] for p in c) for o, c in drawn]
    score = success_score(listed)
    assert score.points == sum(raw)
    if raw:
        expected = 100 * sum((min(3, max(-15, p)) + 15) / 18 for p in raw) / len(raw)
        assert score.score is not None
        assert abs(score.score - expected) <= 0.05 + 1e-9
        assert 0 <= score.score <= 100
    failures = sum(1 for o, c in drawn if o.value in ("FAILED", "BACKED_OUT") or c)
    assert len(failure_rate(listed).failed) == failures
