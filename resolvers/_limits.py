"""Limits checked before anything runs (docs/limits.md): depth, aliases, tokens, cost, a
document with several operations but no `operationName`, and hostile input (text that is not
Unicode, strings over their limits: resolvers/_input.py).

The cost is an estimate of the objects an operation can return, from its page sizes and
nesting: an object counts 1, a page of `first` items (the default page size when absent) counts
each item and multiplies everything selected inside it, a list without `first` counts as a page
of the default size, and
each topology question (an impact analysis, an outage simulation, ...) counts
`TOPOLOGY_QUESTION_COST` on top, because its work grows with the graph, not with the answer.
Scalars are free. A variable counts as its value in the request (or its default).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
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
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as aliases_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from resolvers._input import check_text, oversized_inputs
from resolvers._pagination import DEFAULT_PAGE_SIZE

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
        "serviceAvailability",
        "serviceLevelReport",
        "capacityHotspots",
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
    def __init__(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        # The request's values of its variables, or their defaults; a null or a value that is
        # no whole number (refused later) counts as the default page size.
        self._values: dict[str, int] = {}
        for variable in operation.variable_definitions or ():
            name = variable.variable.name.value
            default = variable.default_value
            if name in variables:
                value = variables[name]
                if isinstance(value, int) and not isinstance(value, bool):
                    self._values[name] = value
            elif isinstance(default, IntValueNode):
                self._values[name] = int(default.value)

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
                return max(self._values.get(value.name.value, DEFAULT_PAGE_SIZE), 0)
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


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The estimated cost of `operation` of `document` with `variables` (module docstring).
    O(size of the document)."""
    root = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation.operation.value]
    if root is None:
        return 0
    estimate = _Estimate(document, operation, variables or {})
    total = 0
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value in TOPOLOGY_QUESTIONS:
            total += TOPOLOGY_QUESTION_COST
    return total + estimate.selection(root, operation.selection_set, frozenset())


class RequestLimits(SchemaExtension):
    """Adds the depth and alias rules to validation (the rule classes are made once per
    schema, so that the validation cache keeps working), bounds the tokens of the parser, and
    after validation refuses an ambiguous document or an operation costing more than the
    limit. Listed after `ValidationCache`."""

    def __init__(self, limits: Limits, rules: tuple[type[ASTValidationRule], ...]) -> None:
        super().__init__()
        self._limits = limits
        self._rules = rules

    @staticmethod
    def rules_for(limits: Limits) -> tuple[type[ASTValidationRule], ...]:
        return (
            depth_validator(limits.depth, None, None),
            aliases_validator(limits.aliases),
        )

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        # Before the parser sees the text: a lone surrogate would reach its error message.
        check_text(context.query, context.variables, context.operation_name)
        context.parse_options["max_tokens"] = self._limits.tokens
        context.validation_rules = context.validation_rules + self._rules
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        # A new list: the validation cache hands out the same one for every request.
        errors = list(context.pre_execution_errors or ())
        if document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            # Strawberry would run the first one; the spec makes this a request error.
            if len(operations) > 1 and context._provided_operation_name is None:
                errors = errors or [
                    GraphQLError(
                        "The document holds several operations: name the one to run in "
                        "`operationName`.",
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                ]
            else:
                # Also beside other errors (too deep, too many aliases): the cost and the
                # limit are what the client needs to shrink the question.
                errors += self._over_cost(document, operations)
                if not errors:
                    errors += self._oversized(document, operations)
        context.pre_execution_errors = errors
        yield

    def _oversized(
        self, document: DocumentNode, operations: list[OperationDefinitionNode]
    ) -> list[GraphQLError]:
        """The errors of the strings over their limits (resolvers/_input.py) in the
        operation that is to run; checked here for the same reason as the cost."""
        name = self.execution_context._provided_operation_name
        chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
        if len(chosen) != 1:
            return []
        schema = self.execution_context.schema._schema
        return oversized_inputs(schema, document, chosen[0], self.execution_context.variables)

    def _over_cost(
        self, document: DocumentNode, operations: list[OperationDefinitionNode]
    ) -> list[GraphQLError]:
        """The cost error of the operation that is to run, if it costs too much. Checked here
        rather than by a validation rule: the validation is cached per document, and the cost
        depends on the request's variables (`first: $pageSize`)."""
        name = self.execution_context._provided_operation_name
        chosen = [o for o in operations if name is None or (o.name and o.name.value == name)]
        if len(chosen) != 1:
            return []  # An unknown operationName: refused when the operation is picked.
        [operation] = chosen
        schema = self.execution_context.schema._schema
        cost = operation_cost(schema, document, operation, self.execution_context.variables)
        limit = self._limits.cost
        if cost <= limit:
            return []
        label = f"'{operation.name.value}'" if operation.name else "The operation"
        return [
            GraphQLError(
                f"{label} costs {cost}, more than the limit of {limit}: ask for smaller pages"
                " (`first`), nest fewer lists, or split it into several requests.",
                nodes=[operation],
                extensions={"code": VALIDATION_FAILED, "cost": cost, "limit": limit},
            )
        ]
