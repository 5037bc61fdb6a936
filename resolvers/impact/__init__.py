"""Impact analysis: the questions of DOMAIN.md §4."""

from resolvers.impact.queries import ImpactQuery

__all__ = ["ImpactQuery"]
