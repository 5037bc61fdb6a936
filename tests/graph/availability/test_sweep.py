"""The pure availability sweep: failure spans from transitions, and one state per segment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from graph.domain import State
from graph.domain._availability import FailureSpan, failure_spans, measure_availability

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def at(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def test_a_reopening_fails_the_cis_again_until_the_next_resolution() -> None:
    moves = [
        ("NEW", "IN_PROGRESS", at(1)),
        ("IN_PROGRESS", "RESOLVED", at(2)),
        ("RESOLVED", "IN_PROGRESS", at(3)),
        ("IN_PROGRESS", "RESOLVED", at(4)),
        ("RESOLVED", "CLOSED", at(5)),
    ]

    spans = failure_spans("INC1", ["db"], at(0), moves)

    assert [(s.start, s.end) for s in spans] == [(at(0), at(2)), (at(3), at(4))]


def test_an_incident_ending_cancelled_never_counts_and_an_open_one_has_no_end() -> None:
    assert failure_spans("INC1", ["db"], at(0), [("NEW", "CANCELLED", at(1))]) == []
    assert failure_spans("INC2", ["db"], at(0), []) == [
        FailureSpan("INC2", frozenset({"db"}), at(0), None)
    ]


def test_the_state_is_asked_once_per_segment_with_a_failed_ci() -> None:
    asked: list[tuple[frozenset[str], datetime]] = []

    def state_of(failed: frozenset[str], instant: datetime) -> State:
        asked.append((failed, instant))
        return State.DOWN if len(failed) == 2 else State.DEGRADED

    spans = [
        FailureSpan("INC1", frozenset({"a"}), at(1), at(3)),
        FailureSpan("INC2", frozenset({"b"}), at(2), at(4)),
    ]

    found = measure_availability(at(0), at(10), spans, [], state_of)

    assert [instant for _, instant in asked] == [at(1), at(2), at(3)]
    assert (found.downtime_seconds, found.degraded_seconds) == (3600.0, 7200.0)
    assert [(o.start, o.end, o.causes) for o in found.outages] == [(at(2), at(3), ("INC1", "INC2"))]
    assert found.availability_percent == 90.0


def test_measured_in_support_hours_an_outage_outside_them_is_no_outage() -> None:
    def support_seconds(a: datetime, b: datetime) -> float:
        """Support from hour 8 to hour 18 of T0's day."""
        lo, hi = max(a, at(8)), min(b, at(18))
        return max((hi - lo).total_seconds(), 0.0)

    spans = [
        FailureSpan("NIGHT", frozenset({"a"}), at(1), at(3)),
        FailureSpan("MORNING", frozenset({"a"}), at(7), at(9)),
    ]

    found = measure_availability(
        at(0), at(24), spans, [], lambda failed, instant: State.DOWN, support_seconds
    )

    assert [(o.start, o.end, o.causes) for o in found.outages] == [(at(7), at(9), ("MORNING",))]
    assert (found.downtime_seconds, found.mttr_seconds) == (3600.0, 3600.0)
    assert found.availability_percent == 90.0
