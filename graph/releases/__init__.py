"""Releases in Neo4j (docs/concepts.md, "Release management"): bundles of changes with the
union of their impact."""

from graph.releases._repository import ReleaseRepository

__all__ = ["ReleaseRepository"]
