"""Releases: types, inputs, queries, mutations."""

from resolvers.releases.mutations import ReleaseMutation
from resolvers.releases.queries import ReleaseQuery

__all__ = ["ReleaseMutation", "ReleaseQuery"]
