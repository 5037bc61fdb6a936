"""Configuration items, their relationships and the CMDB's health: types, inputs, queries,
mutations."""

from resolvers.cis.mutations import CIMutation
from resolvers.cis.queries import CIQuery
from resolvers.cis.types import CI_TYPES

__all__ = ["CI_TYPES", "CIMutation", "CIQuery"]
