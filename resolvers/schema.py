"""The GraphQL schema: the per-domain Query, Mutation and Subscription classes, combined."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import ParserCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from resolvers._authentication import RequireAuthentication
from resolvers._client_mutation_id import add_client_mutation_id
from resolvers._document_limits import CheckedValidationCache
from resolvers._errors import MaskServerFaults
from resolvers._execution import executor_for
from resolvers._limits import Limits, RequestLimits
from resolvers._nodes import NodeQuery
from resolvers._permissions import apply_permissions
from resolvers.availability import AvailabilityQuery
from resolvers.availability.queries import ServiceAvailability
from resolvers.capacity import CapacityMutation, CapacityQuery
from resolvers.changes import ChangeMutation, ChangeQuery
from resolvers.changes.metrics import ChangeMetricsQuery, IncidentCauseMutation
from resolvers.changes.subscriptions import ChangeSubscription
from resolvers.changes.windows import WindowMutation, WindowQuery
from resolvers.cis import CI_TYPES, CIMutation, CIQuery
from resolvers.cis.subscriptions import CISubscription
from resolvers.cis.types import ConfigurationItem
from resolvers.continuity import ContinuityQuery
from resolvers.impact import ImpactQuery
from resolvers.impact.subscriptions import ImpactSubscription
from resolvers.imports import DriftQuery, ImportMutation
from resolvers.incidents import (
    IncidentImportMutation,
    IncidentMutation,
    IncidentQuery,
    MajorIncidentMutation,
    MajorIncidentQuery,
    ServiceTraceQuery,
)
from resolvers.incidents.subscriptions import IncidentSubscription
from resolvers.problems import ProblemMutation, ProblemQuery
from resolvers.releases import ReleaseMutation, ReleaseQuery
from resolvers.services import ServiceMutation
from resolvers.services.types import ServiceLevel
from resolvers.tokens import TokenMutation, TokenQuery
from resolvers.viewer import ViewerQuery

__all__ = ["build_schema"]

log = logging.getLogger("cmdb.graphql")


SENSITIVE_TYPES: dict[str, type] = {
    "ConfigurationItem": ConfigurationItem,
    "ServiceLevel": ServiceLevel,
    "ServiceAvailability": ServiceAvailability,
}
"""The types with fields in the permission table's FIELD_ROLES (cost figures)."""


@strawberry.type
class Query(
    CIQuery,
    NodeQuery,
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
    DriftQuery,
    TokenQuery,
    ViewerQuery,
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
    TokenMutation,
):
    pass


@strawberry.type
class Subscription(IncidentSubscription, ChangeSubscription, CISubscription, ImpactSubscription):
    pass


class _Schema(strawberry.Schema):
    hide_suggestions = False
    """Whether errors lose graphql-core's "Did you mean ...?" (with introspection off)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs each error with the part of the document it points at: query text,
        # which stays at debug level. Server faults are logged by MaskServerFaults.
        for error in errors:
            if self.hide_suggestions:
                # graphql-core appends the suggestion to the message (fields, arguments,
                # types, enum values, input fields).
                error.message = error.message.split(" Did you mean ", 1)[0]
            log.debug("graphql error: %s", error.message)


def build_schema(
    cache_size: int = 1000, limits: Limits | None = None, *, introspection: bool = True
) -> strawberry.Schema:
    """The schema, with bounded parser and validation caches, the request limits
    (resolvers/_limits.py, resolvers/_document_limits.py), the permission table of
    resolvers/_permissions.py applied (every operation authenticated), server faults masked,
    and plain scalar fields executed without graphql-core's per-field machinery
    (resolvers/_execution.py). Without `introspection`, `__schema` and `__type` fail
    validation and no error suggests a name."""
    config = StrawberryConfig(auto_camel_case=True)
    apply_permissions(Query, Mutation, config.name_converter, SENSITIVE_TYPES)
    bounds = limits or Limits()
    rules = RequestLimits.rules_for(bounds)
    if not introspection:
        rules += (NoSchemaIntrospectionCustomRule,)
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(CI_TYPES.values()),
        extensions=[
            lambda: ParserCache(maxsize=cache_size),
            lambda: CheckedValidationCache(maxsize=cache_size),
            lambda: RequestLimits(bounds, rules),
            RequireAuthentication,
            MaskServerFaults,
        ],
        config=config,
    )
    schema.hide_suggestions = not introspection
    add_client_mutation_id(schema._schema)
    # Read at each execution: set once the GraphQL types exist.
    schema.execution_context_class = executor_for(schema._schema, config.name_converter)
    return schema
