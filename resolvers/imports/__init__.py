"""Bulk import of CIs and relationships from a named source: `importCIs`."""

from resolvers.imports.drift import DriftQuery
from resolvers.imports.mutations import ImportMutation

__all__ = ["DriftQuery", "ImportMutation"]
