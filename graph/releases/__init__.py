"""Releases in Neo4j (docs/concepts.md, "Release management"): bundles of changes deployed
together, with the union of their impact, moved from PLANNING to CLOSED or ROLLED_BACK."""

from graph.releases._model import (
    IncludedChange,
    Release,
    ReleaseImpact,
    ReleasePage,
    ReleaseTransition,
)
from graph.releases._query import ReleaseFilter, ReleaseOrder, ReleaseOrderField
from graph.releases._repository import ReleaseRepository
from graph.releases._work import NewRelease

__all__ = [
    "IncludedChange",
    "NewRelease",
    "Release",
    "ReleaseFilter",
    "ReleaseImpact",
    "ReleaseOrder",
    "ReleaseOrderField",
    "ReleasePage",
    "ReleaseRepository",
    "ReleaseTransition",
]
