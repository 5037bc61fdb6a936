"""Capacity, in Neo4j: capacity per metric on CIs, utilisation readings, hotspots and their
forecasts (docs/service-levels.md, "Capacity")."""

from graph.capacity._figures import MERGE_CAPACITIES, MERGE_READINGS, capacity_row, reading_row
from graph.capacity._model import Capacity, Figure, Hotspot, Reading, capacity_key, reading_key
from graph.capacity._repository import MAX_READINGS, CapacityRepository

__all__ = [
    "MAX_READINGS",
    "MERGE_CAPACITIES",
    "MERGE_READINGS",
    "Capacity",
    "CapacityRepository",
    "Figure",
    "Hotspot",
    "Reading",
    "capacity_key",
    "capacity_row",
    "reading_key",
    "reading_row",
]
