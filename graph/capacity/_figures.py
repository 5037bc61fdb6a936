"""How capacity figures are stored (migration V0012): one `Capacity` node per CI and metric,
one `UtilisationReading` per CI, metric and instant, each merged on its key and linked to its
CI. The one place that writes them: `setCapacity`, `recordUtilisation` and imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any, LiteralString

from graph.capacity._model import capacity_key, reading_key

__all__ = ["MERGE_CAPACITIES", "MERGE_READINGS", "capacity_row", "reading_row"]

MERGE_CAPACITIES: LiteralString = """
UNWIND $rows AS row
MATCH (ci:CI {id: row.ciId})
MERGE (c:Capacity {key: row.key})
SET c += row.properties
MERGE (ci)-[:HAS_CAPACITY]->(c)
"""

MERGE_READINGS: LiteralString = """
UNWIND $rows AS row
MATCH (ci:CI {id: row.ciId})
MERGE (r:UtilisationReading {key: row.key})
SET r += row.properties, r.at = datetime(row.at)
MERGE (ci)-[:HAS_READING]->(r)
"""


def capacity_row(
    ci_id: str,
    metric: str,
    capacity: float,
    unit: str,
    threshold: float,
    source: str | None = None,
) -> dict[str, Any]:
    """A row of `MERGE_CAPACITIES`; `source` names the import that stated the figure."""
    properties: dict[str, Any] = {
        "ciId": ci_id,
        "metric": metric,
        "capacity": capacity,
        "unit": unit,
        "threshold": threshold,
    }
    if source is not None:
        properties["source"] = source
    return {"ciId": ci_id, "key": capacity_key(ci_id, metric), "properties": properties}


def reading_row(
    ci_id: str, metric: str, value: float, at: datetime, source: str | None = None
) -> dict[str, Any]:
    """A row of `MERGE_READINGS`."""
    properties: dict[str, Any] = {"ciId": ci_id, "metric": metric, "value": value}
    if source is not None:
        properties["source"] = source
    return {
        "ciId": ci_id,
        "key": reading_key(ci_id, metric, at),
        "properties": properties,
        "at": at.isoformat(),
    }
