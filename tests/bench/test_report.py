"""The report's arithmetic (bench/_report_sections.py, bench/_targets.py): ratios and the
after-write comparison with the static graph. Pure, no server involved."""

from __future__ import annotations

from typing import Any

from bench._report_sections import after_write_lines, ms, ratio
from bench._targets import target_lines


def _after(variant: str, p50: float, p99: float, alone: float) -> dict[str, Any]:
    return {
        "question": "impact_after_write",
        "system": "product",
        "variant": variant,
        "p50_ms": p50,
        "p99_ms": p99,
        "one_client_p50_ms": alone,
        "one_client_p99_ms": alone * 2,
        "write_p50_ms": None if variant == "static" else 12.0,
        "write_p99_ms": None if variant == "static" else 30.0,
        "requests": 200,
        "errors": 0,
        "note": "",
    }


def test_a_ratio_is_the_first_over_the_second_and_missing_figures_give_none() -> None:
    assert ratio(30.0, 20.0) == "1.50x"
    assert ratio(2500.0, 2.0) == "1,250x"
    assert ratio(None, 2.0) == ratio(2.0, None) == ratio(2.0, 0) == "-"
    assert (ms(None), ms(4.567), ms(45.67), ms(456.7)) == ("-", "4.57", "45.7", "457")


def test_after_write_rows_divide_by_the_static_control() -> None:
    records = [
        _after("static", 20.0, 80.0, 10.0),
        _after("updateCI", 30.0, 400.0, 25.0),
    ]

    lines = after_write_lines(records)

    static, updated = (line for line in lines if line.startswith("| static") or "updateCI" in line)
    assert "| 1.00x | 1.00x | 1.00x |" in static
    assert "| 1.50x | 5.00x | 2.50x | 12.0 | 30.0 |" in updated


def test_the_after_write_target_is_met_within_twice_the_static_figure() -> None:
    records = [_after("static", 20.0, 80.0, 10.0), _after("updateCI", 39.0, 170.0, 25.0)]
    # The peer cannot write: its record of the question has no variant and is no row here.
    records.append({**_after("static", 0.0, 0.0, 0.0), "system": "peer", "variant": None})

    lines = target_lines(records, {})

    assert not [line for line in lines if "after None" in line]

    [line] = [line for line in lines if "after updateCI" in line]
    assert "p50 1.95x (met; target <= 2x)" in line
    assert "p99 2.12x (**missed**; target <= 2x)" in line
    assert "one client 2.50x (**missed**; target <= 2x)" in line
