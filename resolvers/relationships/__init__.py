"""Relationships between CIs: types, inputs, mutations."""

from resolvers.relationships.mutations import RelationshipMutation

__all__ = ["RelationshipMutation"]
