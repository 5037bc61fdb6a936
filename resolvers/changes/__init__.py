"""Changes: types, inputs, queries, mutations."""

from resolvers.changes.mutations import ChangeMutation
from resolvers.changes.queries import ChangeQuery

__all__ = ["ChangeMutation", "ChangeQuery"]
