"""Strawberry types, queries and mutations; they call `graph/`, never the driver."""

import resolvers._enums  # noqa: F401  (registers the enums before any type uses them)
from resolvers._context import Context, Repositories
from resolvers._limits import Limits
from resolvers.schema import build_schema

__all__ = ["Context", "Limits", "Repositories", "build_schema"]
