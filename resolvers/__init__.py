"""Strawberry types, queries and mutations; they call `graph/`, never the driver."""

from resolvers._context import Context, Repositories
from resolvers.schema import build_schema

__all__ = ["Context", "Repositories", "build_schema"]
