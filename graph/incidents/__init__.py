"""Incidents in Neo4j (docs/concepts.md, "Incident management"): create, update, transition,
read and page them, with their computed impact and SLA clocks."""

from graph.incidents._repository import IncidentRepository

__all__ = ["IncidentRepository"]
