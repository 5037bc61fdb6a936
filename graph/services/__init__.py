"""What business services promise, in Neo4j: their service levels (docs/sla.md, "Targets per
service")."""

from graph.services._levels import ServiceLevelRepository

__all__ = ["ServiceLevelRepository"]
