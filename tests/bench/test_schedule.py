"""The open-model arithmetic of the benchmark (bench/_schedule.py) and its percentiles: pure,
no server involved."""

from __future__ import annotations

from collections import Counter

import pytest

from bench._load import percentile, summarise
from bench._schedule import arrivals, interleave


def test_a_constant_rate_is_due_every_one_over_the_rate_within_the_span() -> None:
    due = arrivals(4, 1.0)

    assert due == [0.0, 0.25, 0.5, 0.75]
    assert len(arrivals(20, 60)) == 1200
    assert arrivals(2, 3, offset_s=0.25) == [0.25, 0.75, 1.25, 1.75, 2.25, 2.75]


def test_no_rate_or_no_time_is_no_arrival() -> None:
    assert arrivals(0, 10) == []
    assert arrivals(5, 0) == []


def test_a_fractional_rate_rounds_the_count_up_only_past_the_last_whole_period() -> None:
    assert arrivals(0.5, 10) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert len(arrivals(3, 1.0000000001)) == 3


def test_kinds_come_in_proportion_to_their_weights_spread_evenly() -> None:
    chosen = interleave({"a": 2, "b": 1}, 6)

    assert chosen == ["a", "b", "a", "a", "b", "a"]
    mix = interleave({"ci": 10, "impact": 4, "incidents": 4, "page": 2}, 2000)
    assert Counter(mix) == {"ci": 1000, "impact": 400, "incidents": 400, "page": 200}
    assert max(len(run) for run in "".join(k[0] for k in mix).split("p")) <= 10


def test_a_kind_of_weight_zero_never_comes_and_no_weight_at_all_is_refused() -> None:
    assert set(interleave({"a": 1, "never": 0}, 10)) == {"a"}
    with pytest.raises(ValueError, match="positive sum"):
        interleave({"a": 0}, 3)


def test_percentiles_are_nearest_rank_and_the_summary_orders_them() -> None:
    ordered = [i / 1000 for i in range(1, 1001)]

    assert percentile(ordered, 0.5) == 0.5
    assert percentile(ordered, 0.99) == 0.99
    assert percentile(ordered, 0.999) == 0.999
    assert percentile([0.2], 0.999) == 0.2
    summary = summarise(list(reversed(ordered)), 2, 10.0, 8)
    assert (summary.p50_ms, summary.p95_ms, summary.p99_ms) == (500.0, 950.0, 990.0)
    assert summary.rps == 100.0 and summary.errors == 2
