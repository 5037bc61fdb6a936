"""Capacity figures in an import (docs/import.md, "Capacity"): a CI row may state the CI's
capacity of each metric, and its current utilisation. Each figure is merged on the CI's capacity
key in the batch's own transaction (the constraint of migration V0012), as `setCapacity` does;
a utilisation becomes a reading at the import's instant, as `recordUtilisation` does."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from neo4j import AsyncManagedTransaction

from graph._database import Database, Row
from graph.capacity import MERGE_CAPACITIES, MERGE_READINGS, capacity_row, reading_row
from graph.errors import FieldError
from graph.imports._model import ImportCapacity
from graph.imports._plan import PlannedCI

__all__ = [
    "DEFAULT_THRESHOLD",
    "capacity_problems",
    "read_capacity",
    "write_capacity",
]

DEFAULT_THRESHOLD = 0.8
"""A figure's threshold when the row gives none: 80 % of the capacity, as setCapacity's."""
MAX_FIGURES = 50
"""The most capacity figures one CI row may state."""

_NUMBERS = ("capacity", "threshold", "utilisation")


def _number(value: Any) -> float | None:
    """A JSON number (the file reader gives decimals as `Decimal`) as a float; None for
    anything else, text included."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def read_capacity(value: Any, problems: list[FieldError]) -> tuple[ImportCapacity, ...]:
    """The figures of a file row's `capacity`: a list of `{metric, capacity, unit, threshold,
    utilisation}` objects. Values of the wrong type become `problems`."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(FieldError("capacity", "must be a list of figures", "INVALID_VALUE"))
        return ()
    found: list[ImportCapacity] = []
    for index, item in enumerate(value):
        name = f"capacity[{index}]"
        if not isinstance(item, dict):
            problems.append(FieldError(name, "must be an object", "INVALID_VALUE"))
            continue
        for key in sorted(set(item) - {"metric", *_NUMBERS, "unit"}):
            problems.append(FieldError(f"{name}.{key}", f"unknown field '{key}'", "INVALID_VALUE"))
        size, threshold, used = (_number(item.get(k)) for k in _NUMBERS)
        for key, number in (("capacity", size), ("threshold", threshold), ("utilisation", used)):
            if item.get(key) is not None and number is None:
                problems.append(FieldError(f"{name}.{key}", "must be a number", "INVALID_VALUE"))
        found.append(
            ImportCapacity(
                metric=str(item.get("metric") or ""),
                capacity=size if size is not None else math.nan,
                unit=str(item.get("unit") or ""),
                threshold=threshold if threshold is not None else DEFAULT_THRESHOLD,
                utilisation=used,
            )
        )
    return tuple(found)


def capacity_problems(figures: Sequence[ImportCapacity]) -> list[FieldError]:
    """What is wrong with a row's figures, each on its field (`capacity[1].threshold`)."""
    problems: list[FieldError] = []
    if len(figures) > MAX_FIGURES:
        message = f"at most {MAX_FIGURES} figures per CI"
        problems.append(FieldError("capacity", message, "OUT_OF_RANGE"))
    seen: set[str] = set()
    for index, figure in enumerate(figures):
        name = f"capacity[{index}]"
        metric = figure.metric.strip()
        if not metric:
            problems.append(FieldError(f"{name}.metric", "a metric is required", "REQUIRED"))
        elif metric in seen:
            message = f"the metric '{metric}' appears twice"
            problems.append(FieldError(f"{name}.metric", message, "CONFLICT"))
        seen.add(metric)
        if not figure.unit.strip():
            problems.append(FieldError(f"{name}.unit", "a unit is required", "REQUIRED"))
        if not math.isfinite(figure.capacity) or figure.capacity <= 0:
            message = "capacity must be a positive number"
            problems.append(FieldError(f"{name}.capacity", message, "INVALID_VALUE"))
        if not 0 < figure.threshold <= 1:
            message = "a fraction of capacity in (0, 1]"
            problems.append(FieldError(f"{name}.threshold", message, "INVALID_VALUE"))
        used = figure.utilisation
        if used is not None and (not math.isfinite(used) or used < 0):
            message = "utilisation must not be negative"
            problems.append(FieldError(f"{name}.utilisation", message, "INVALID_VALUE"))
    return problems


async def write_capacity(
    db: Database,
    tx: AsyncManagedTransaction,
    planned: Iterable[PlannedCI],
    source: str,
    at: datetime,
) -> None:
    """Writes the figures these rows state, in the batch's transaction `tx`, as
    `graph.capacity` stores them; a utilisation is a reading at `at`, the import's instant.
    One round trip, two when a figure states a utilisation; none without figures."""
    capacities: list[Row] = []
    readings: list[Row] = []
    for row in planned:
        for figure in row.capacity:
            metric, unit = figure.metric.strip(), figure.unit.strip()
            capacities.append(
                capacity_row(row.ci_id, metric, figure.capacity, unit, figure.threshold, source)
            )
            if figure.utilisation is not None:
                readings.append(reading_row(row.ci_id, metric, figure.utilisation, at, source))
    if capacities:
        await db.query(tx, MERGE_CAPACITIES, rows=capacities)
    if readings:
        await db.query(tx, MERGE_READINGS, rows=readings)
