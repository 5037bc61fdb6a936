"""Capacity, in Neo4j: capacity per metric on CIs, utilisation readings, hotspots and their
forecasts (docs/service-levels.md, "Capacity")."""

from graph.capacity._model import Capacity, Figure, Hotspot, Reading, capacity_key, reading_key
from graph.capacity._repository import MAX_READINGS, CapacityRepository

__all__ = [
    "MAX_READINGS",
    "Capacity",
    "CapacityRepository",
    "Figure",
    "Hotspot",
    "Reading",
    "capacity_key",
    "reading_key",
]
