"""Impact analysis: the questions of docs/concepts.md, "Impact questions"."""

from resolvers.impact.queries import ImpactQuery

__all__ = ["ImpactQuery"]
