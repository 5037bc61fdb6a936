"""The GraphQL schema: the per-domain Query and Mutation classes, combined."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from resolvers._errors import MaskServerFaults
from resolvers._limits import Limits, RequestLimits
from resolvers.availability import AvailabilityQuery
from resolvers.capacity import CapacityMutation, CapacityQuery
from resolvers.changes import ChangeMutation, ChangeQuery
from resolvers.changes.metrics import ChangeMetricsQuery, IncidentCauseMutation
from resolvers.changes.windows import WindowMutation, WindowQuery
from resolvers.cis import CI_TYPES, CIMutation, CIQuery
from resolvers.continuity import ContinuityQuery
from resolvers.impact import ImpactQuery
from resolvers.imports import ImportMutation
from resolvers.incidents import (
    IncidentImportMutation,
    IncidentMutation,
    IncidentQuery,
    MajorIncidentMutation,
    MajorIncidentQuery,
    ServiceTraceQuery,
)
from resolvers.problems import ProblemMutation, ProblemQuery
from resolvers.releases import ReleaseMutation, ReleaseQuery
from resolvers.services import ServiceMutation

__all__ = ["build_schema"]

log = logging.getLogger("cmdb.graphql")


@strawberry.type
class Query(
    CIQuery,
    ImpactQuery,
    IncidentQuery,
    MajorIncidentQuery,
    ServiceTraceQuery,
    ProblemQuery,
    ChangeQuery,
    ChangeMetricsQuery,
    WindowQuery,
    ReleaseQuery,
    AvailabilityQuery,
    ContinuityQuery,
    CapacityQuery,
):
    pass


@strawberry.type
class Mutation(
    CIMutation,
    ImportMutation,
    IncidentMutation,
    IncidentImportMutation,
    MajorIncidentMutation,
    ProblemMutation,
    ServiceMutation,
    ChangeMutation,
    IncidentCauseMutation,
    WindowMutation,
    ReleaseMutation,
    CapacityMutation,
):
    pass


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs each error with the part of the document it points at: query text,
        # which stays at debug level. Server faults are logged by MaskServerFaults.
        for error in errors:
            log.debug("graphql error: %s", error.message)


def build_schema(cache_size: int = 1000, limits: Limits | None = None) -> strawberry.Schema:
    """The schema, with bounded parser and validation caches, the request limits
    (resolvers/_limits.py) and server faults masked."""
    bounds = limits or Limits()
    rules = RequestLimits.rules_for(bounds)
    return _Schema(
        query=Query,
        mutation=Mutation,
        types=list(CI_TYPES.values()),
        extensions=[
            lambda: ParserCache(maxsize=cache_size),
            lambda: ValidationCache(maxsize=cache_size),
            lambda: RequestLimits(bounds, rules),
            MaskServerFaults,
        ],
        config=StrawberryConfig(auto_camel_case=True),
    )
