"""The arithmetic of the reliability load (tests/reliability/load_plan.py) and how an answer
is classified: pure functions, no server."""

from __future__ import annotations

from collections import Counter

from tests.reliability.load import classify
from tests.reliability.load_plan import (
    READ_MIX,
    WRITE_MIX,
    LoadPlan,
    due_times,
    interleave,
    percentile,
)


def test_the_clients_together_send_one_request_every_one_over_rate_seconds() -> None:
    plan = LoadPlan(rate=10, seconds=3, clients=4)
    due = sorted(t for c in range(4) for _, t in due_times(plan, c))

    assert len(due) == 30
    assert due == [k / 10 for k in range(30)]
    assert [n for n, _ in due_times(plan, 1)] == list(range(1, 30, 4))


def test_the_mix_is_seventy_percent_reads_spread_evenly() -> None:
    kinds = interleave({**READ_MIX, **WRITE_MIX}, 1000)
    counts = Counter(kinds)

    assert sum(counts[k] for k in READ_MIX) == 700
    assert sum(counts[k] for k in WRITE_MIX) == 300
    # Evenly: every window of 10 requests holds 2 to 4 writes.
    for start in range(0, 990, 10):
        window = kinds[start : start + 10]
        assert 2 <= sum(k in WRITE_MIX for k in window) <= 4


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 1001)]

    assert percentile(values, 0.5) == 500
    assert percentile(values, 0.99) == 990
    assert percentile(values, 0.999) == 999
    assert percentile([7.0], 0.999) == 7.0


def test_an_answer_that_leaves_the_outcome_open_is_retried_and_a_refusal_is_not() -> None:
    assert classify("OK") == "ACKED"
    assert classify("REFUSED_INVALID_TRANSITION") == "REFUSED"
    assert classify("BAD_USER_INPUT") == "REFUSED"
    for open_outcome in (
        "SERVICE_UNAVAILABLE",
        "INTERNAL_SERVER_ERROR",
        "IDEMPOTENCY_KEY_IN_USE",
        "HTTP_502",
        "TRANSPORT_ReadTimeout",
    ):
        assert classify(open_outcome) == "UNKNOWN"
