"""What is plain in a schema, found once when it is built: the fields and object types that the
executor (resolvers/_execution.py) completes without graphql-core's general machinery.

- a plain field is a Strawberry basic field (no resolver, no field extension such as a
  permission check) of a scalar, enum or plain object type, read with `getattr`;
- a plain object type is an object type with no `is_type_of` check (it implements no
  interface).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_leaf_type,
)
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition

__all__ = ["PlainField", "Plan"]


class PlainField(NamedTuple):
    attribute: str
    """The Python attribute holding the value."""
    type: GraphQLOutputType
    """The field's type as declared (with its non-null wrapper)."""
    named: GraphQLLeafType | GraphQLObjectType
    """The type under the non-null wrapper: a leaf, or a plain object type."""
    nullable: bool


@dataclass(frozen=True)
class Plan:
    """What is plain in a schema: its fields by object type name, then field name; its plain
    object types by the id of the type (or of its non-null wrapper) that declares a value."""

    fields: Mapping[str, Mapping[str, PlainField]] = field(default_factory=dict)
    objects: Mapping[int, GraphQLObjectType] = field(default_factory=dict)

    @staticmethod
    def of(schema: GraphQLSchema, names: NameConverter) -> Plan:
        """O(fields of the schema)."""
        plain_types = {
            t.name: t
            for t in schema.type_map.values()
            if isinstance(t, GraphQLObjectType)
            and t.is_type_of is None
            and not t.name.startswith("__")
        }
        fields: dict[str, dict[str, PlainField]] = {}
        objects: dict[int, GraphQLObjectType] = {}
        for graphql_type in schema.type_map.values():
            if not isinstance(graphql_type, GraphQLObjectType):
                continue
            for output in (f.type for f in graphql_type.fields.values()):
                _note_objects(output, plain_types, objects)
            definition = (graphql_type.extensions or {}).get(
                GraphQLCoreConverter.DEFINITION_BACKREF
            )
            if not isinstance(definition, StrawberryObjectDefinition):
                continue
            found: dict[str, PlainField] = {}
            for strawberry_field in definition.fields:
                if (
                    not strawberry_field.is_basic_field
                    or strawberry_field.default_resolver is not getattr
                ):
                    continue
                name = names.get_graphql_name(strawberry_field)
                graphql_field = graphql_type.fields.get(name)
                if graphql_field is None or graphql_field.args:
                    continue
                output = graphql_field.type
                nullable = not isinstance(output, GraphQLNonNull)
                named = output if nullable else output.of_type
                if is_leaf_type(named) or (
                    isinstance(named, GraphQLObjectType) and named.name in plain_types
                ):
                    found[name] = PlainField(strawberry_field.python_name, output, named, nullable)
            if found:
                fields[graphql_type.name] = found
        return Plan(fields, objects)


def _note_objects(
    output: GraphQLOutputType,
    plain_types: Mapping[str, GraphQLObjectType],
    objects: dict[int, GraphQLObjectType],
) -> None:
    """Notes the plain object types under `output` (through lists and non-null wrappers) by
    the id of each type object that a value of them is completed as."""
    while True:
        inner = getattr(output, "of_type", None)
        named = inner if isinstance(output, GraphQLNonNull) else output
        if isinstance(named, GraphQLObjectType) and named.name in plain_types:
            objects[id(output)] = named
            objects[id(named)] = named
        if inner is None:
            return
        output = inner
