"""Limits checked before anything runs (docs/limits.md): depth, aliases, tokens, cost, and a
document with several operations but no `operationName`.

The cost is an estimate of the objects an operation can return, from its page sizes and
nesting: an object counts 1, a page of `first` items (the default page size when absent) counts
each item and multiplies everything selected inside it, a list without `first` counts as a page
of the default size, and
each topology question (an impact analysis, an outage simulation, ...) counts
`TOPOLOGY_QUESTION_COST` on top, because its work grows with the graph, not with the answer.
Scalars are free. A variable whose value the validation cannot see counts as its default, or
as the largest page when it has none: validation runs once per document (it is cached), so the
estimate must hold for every value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from resolvers._pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

__all__ = ["TOPOLOGY_QUESTION_COST", "Limits", "RequestLimits", "operation_cost"]

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

TOPOLOGY_QUESTION_COST = 500
"""What one topology question costs besides the objects it returns."""

TOPOLOGY_QUESTIONS = frozenset(
    {
        "impact",
        "dependencies",
        "paths",
        "simulateOutage",
        "singlePointsOfFailure",
        "rootCauseCandidates",
        "recoveryOrder",
        "serviceCost",
        "continuityPlan",
        "costReport",
        "serviceTrace",
    }
)
"""The root fields that run a topology algorithm over the graph."""


@dataclass(frozen=True)
class Limits:
    """The bounds every operation must keep (settings CMDB_MAX_QUERY_*)."""

    depth: int = 15
    aliases: int = 50
    tokens: int = 10_000
    cost: int = 50_000


def _named(output: GraphQLOutputType) -> tuple[GraphQLNamedType, bool]:
    """The named type under the wrappers, and whether a list wraps it."""
    listed = False
    while isinstance(output, GraphQLNonNull | GraphQLList):
        listed = listed or isinstance(output, GraphQLList)
        output = output.of_type
    return output, listed


class _Estimate:
    def __init__(self, context: ValidationContext, operation: OperationDefinitionNode) -> None:
        self._fragments = {
            d.name.value: d
            for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self._defaults: dict[str, Any] = {}
        for variable in operation.variable_definitions or ():
            default = variable.default_value
            if isinstance(default, IntValueNode):
                self._defaults[variable.variable.name.value] = int(default.value)

    def page_size(self, node: FieldNode, field: GraphQLField) -> int | None:
        """The `first` of a paginated field (None when it takes none)."""
        if "first" not in field.args:
            return None
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                return int(self._defaults.get(value.name.value, MAX_PAGE_SIZE))
            return DEFAULT_PAGE_SIZE
        default = field.args["first"].default_value
        return default if isinstance(default, int) else DEFAULT_PAGE_SIZE

    def selection(
        self,
        parent: GraphQLNamedType,
        selection_set: SelectionSetNode | None,
        seen: frozenset[str],
        page: int = 1,
    ) -> int:
        """The cost of `selection_set` on one `parent` object; `page` is the page size when
        `parent` is a connection."""
        if selection_set is None or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
        ):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(parent, selection, seen, page)
            elif isinstance(selection, InlineFragmentNode):
                total += self.selection(parent, selection.selection_set, seen, page)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self._fragments.get(name)
                if fragment is not None and name not in seen:
                    total += self.selection(parent, fragment.selection_set, seen | {name}, page)
        return total

    def field(
        self, parent: GraphQLNamedType, node: FieldNode, seen: frozenset[str], page: int
    ) -> int:
        fields = getattr(parent, "fields", None)
        name = node.name.value
        if node.selection_set is None or not fields or name not in fields or name[:2] == "__":
            # A scalar, introspection, or a field another rule refuses: free.
            return 0
        field: GraphQLField = fields[node.name.value]
        named, listed = _named(field.type)
        if parent.name.endswith("Connection") and node.name.value == "edges":
            # The page itself: each item counts 1 and what is selected in it.
            return page * (1 + self.selection(named, node.selection_set, seen))
        if parent.name.endswith("Edge") and node.name.value == "node":
            # The item, counted by `edges`.
            return self.selection(named, node.selection_set, seen)
        first = self.page_size(node, field)
        if first is not None:
            return 1 + self.selection(named, node.selection_set, seen, first)
        inner = self.selection(named, node.selection_set, seen)
        if listed:
            return 1 + DEFAULT_PAGE_SIZE * (1 + inner)
        return 1 + inner


def operation_cost(context: ValidationContext, operation: OperationDefinitionNode) -> int:
    """The estimated cost of `operation` (module docstring). O(size of the document)."""
    schema = context.schema
    root = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation.operation.value]
    if root is None:
        return 0
    estimate = _Estimate(context, operation)
    total = 0
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value in TOPOLOGY_QUESTIONS:
            total += TOPOLOGY_QUESTION_COST
    return total + estimate.selection(root, operation.selection_set, frozenset())


def cost_validator(limit: int) -> type[ASTValidationRule]:
    class CostLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            cost = operation_cost(self.context, node)
            if cost > limit:
                name = f"'{node.name.value}'" if node.name else "The operation"
                self.report_error(
                    GraphQLError(
                        f"{name} costs {cost}, more than the limit of {limit}: ask for smaller"
                        " pages (`first`), nest fewer lists, or split it into several requests.",
                        nodes=[node],
                        extensions={"code": VALIDATION_FAILED, "cost": cost, "limit": limit},
                    )
                )

    return CostLimit


class RequestLimits(SchemaExtension):
    """Adds the limit rules to validation (the rule classes are made once per schema, so that
    the validation cache keeps working) and refuses an ambiguous document. Listed after
    `ValidationCache`."""

    def __init__(self, limits: Limits, rules: tuple[type[ASTValidationRule], ...]) -> None:
        super().__init__()
        self._limits = limits
        self._rules = rules

    @staticmethod
    def rules_for(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
        return (
            depth_validator(limits.depth, None, None),
            aliases_validator(limits.aliases),
            cost_validator(limits.cost),
        )

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self._limits.tokens
        context.validation_rules = context.validation_rules + self._rules
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            # Strawberry would run the first one; the spec makes this a request error.
            if len(operations) > 1 and context._provided_operation_name is None:
                context.pre_execution_errors = [
                    GraphQLError(
                        "The document holds several operations: name the one to run in "
                        "`operationName`.",
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                ]
        yield
