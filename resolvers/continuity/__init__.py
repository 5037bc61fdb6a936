"""Continuity plans and cost reports: `continuityPlan` and `costReport`."""

from resolvers.continuity.queries import ContinuityQuery

__all__ = ["ContinuityQuery"]
