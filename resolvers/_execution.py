"""The executor: graphql-core's, with plain scalar fields read without the general machinery.

A page of CIs with their neighbours is thousands of objects of a few scalar fields each, and
graphql-core resolves every field alike: a path, a resolve info, the resolver, then the value
completed through the general dispatch. For a field that only reads an attribute and
serialises a scalar or enum, that is most of a large response's time. Which fields are that
plain is decided once per schema: Strawberry's basic fields (no resolver, no field extension
such as a permission check) of a scalar or enum type. Those are read and serialised in place;
a value that needs more (null where null is refused, an awaitable, one that does not
serialise, an attribute that is not there) takes the general path, which answers exactly as
before, errors included. Everything else is executed by graphql-core unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import AwaitableOrValue, Path, gather_with_cancel
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition

__all__ = ["PlainLeaf", "executor_for", "plain_leaves"]


class PlainLeaf(NamedTuple):
    attribute: str
    """The Python attribute holding the value."""
    type: GraphQLLeafType
    nullable: bool


PlainLeaves = Mapping[str, Mapping[str, PlainLeaf]]
"""By object type name, then field name."""


def plain_leaves(schema: GraphQLSchema, names: NameConverter) -> dict[str, dict[str, PlainLeaf]]:
    """The fields of `schema`'s object types that are Strawberry basic fields of a scalar or
    enum type, read with `getattr`: by type name, then field name. O(fields of the schema)."""
    found: dict[str, dict[str, PlainLeaf]] = {}
    for graphql_type in schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType):
            continue
        definition = (graphql_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        leaves: dict[str, PlainLeaf] = {}
        for field in definition.fields:
            if not field.is_basic_field or field.default_resolver is not getattr:
                continue
            name = names.get_graphql_name(field)
            graphql_field = graphql_type.fields.get(name)
            if graphql_field is None or graphql_field.args:
                continue
            output = graphql_field.type
            nullable = not isinstance(output, GraphQLNonNull)
            named = output if nullable else output.of_type
            if is_leaf_type(named):
                leaves[name] = PlainLeaf(field.python_name, named, nullable)
        if leaves:
            found[graphql_type.name] = leaves
    return found


class PlainFieldsExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with `plain` fields read in place (module docstring)."""

    plain: ClassVar[PlainLeaves] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        leaves = self.plain.get(parent_type.name)
        middleware = self.middleware_manager
        if not leaves or (middleware is not None and middleware.middlewares):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                leaf = leaves.get(field_details_list[0].node.name.value)
                if leaf is not None:
                    value = _plain_value(leaf, source_value, is_awaitable)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                # The general path, as graphql-core's own execute_fields takes it.
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()


def _plain_value(leaf: PlainLeaf, source: Any, is_awaitable: Any) -> Any:
    """The serialised value of `leaf` on `source`, or Undefined when the general path must
    answer it (and raise what it raises)."""
    try:
        value = getattr(source, leaf.attribute)
        if value is None:
            return None if leaf.nullable else Undefined
        if is_awaitable(value) or isinstance(value, Exception):
            return Undefined
        coerced = leaf.type.coerce_output_value(value)
    except Exception:
        return Undefined
    return Undefined if coerced is None else coerced


def executor_for(
    schema: GraphQLSchema, names: NameConverter
) -> type[StrawberryGraphQLCoreExecutionContext]:
    """The execution context class of `schema`, its plain fields found once (at build)."""
    return type(
        "PlainFieldsExecutor", (PlainFieldsExecutor,), {"plain": plain_leaves(schema, names)}
    )
