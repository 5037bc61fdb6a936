"""The arithmetic of an open-model run (bench/_load.py, `run_open_model`): when requests are
due at a constant arrival rate, and which kind each one is in a weighted mix."""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["arrivals", "interleave"]


def arrivals(rate_per_s: float, seconds: float, offset_s: float = 0.0) -> list[float]:
    """The send times of a constant arrival rate, in seconds from the start: `offset_s`,
    then one every 1/rate, as long as they fall within `seconds` after the offset."""
    if rate_per_s <= 0 or seconds <= 0:
        return []
    count = math.ceil(seconds * rate_per_s - 1e-9)
    return [offset_s + k / rate_per_s for k in range(count)]


def interleave(weights: Mapping[str, int], count: int) -> list[str]:
    """`count` kinds in proportion to their weights, spread as evenly as possible (smooth
    weighted round robin): weights {a: 2, b: 1} give a, b, a, a, b, a, ... Deterministic."""
    total = sum(weights.values())
    if total <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError(f"weights must be >= 0 with a positive sum, got {dict(weights)}")
    current = dict.fromkeys(weights, 0)
    chosen: list[str] = []
    for _ in range(count):
        for kind, weight in weights.items():
            current[kind] += weight
        best = max(current, key=lambda kind: current[kind])
        current[best] -= total
        chosen.append(best)
    return chosen
