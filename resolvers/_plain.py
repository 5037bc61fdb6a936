"""What is plain in a schema, found once when it is built: the fields and object types that the
executor (resolvers/_execution.py) completes without graphql-core's general machinery.

- a plain field is a Strawberry basic field (no resolver, no field extension such as a
  permission check), read with `getattr`, of a scalar, enum, plain object or plain interface
  type, or a list of one of those;
- a plain object type is an object type with no `is_type_of` check (it implements no
  interface);
- a plain interface names the type of each of its values without the resolve info: its
  `resolve_type` is marked so (`resolves_without_info`), as the CI interface's is, which
  reads the type from the object's own definition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple, TypeVar

from graphql import (
    GraphQLInterfaceType,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    is_leaf_type,
)
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition

__all__ = ["Kind", "PlainField", "Plan", "resolves_without_info"]

F = TypeVar("F", bound=Callable[..., Any])
_WITHOUT_INFO = "resolves_without_info"


def resolves_without_info(resolve_type: F) -> F:
    """Marks an interface's `resolve_type` as one that reads neither the resolve info nor the
    abstract type (it may be called with None for both): the executor then completes fields of
    that interface in place."""
    setattr(resolve_type, _WITHOUT_INFO, True)
    return resolve_type


class Kind(Enum):
    LEAF = "leaf"
    OBJECT = "object"
    INTERFACE = "interface"


class PlainField(NamedTuple):
    attribute: str
    """The Python attribute holding the value."""
    type: GraphQLOutputType
    """The field's type as declared (with its non-null wrapper)."""
    named: GraphQLLeafType | GraphQLObjectType | GraphQLInterfaceType
    """The type of the value (of each item, for a list) under its wrappers: a leaf, a plain
    object type or a plain interface."""
    nullable: bool
    kind: Kind = Kind.LEAF
    item_type: GraphQLOutputType | None = None
    """For a list: the items' type (with its non-null wrapper); None for a single value."""
    item_nullable: bool = True


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
                plain = _plain_field(strawberry_field.python_name, graphql_field.type, plain_types)
                if plain is not None:
                    found[name] = plain
            if found:
                fields[graphql_type.name] = found
        return Plan(fields, objects)


def _unwrapped(output: GraphQLOutputType) -> tuple[GraphQLOutputType, bool]:
    """The type under a non-null wrapper, and whether there was none."""
    if isinstance(output, GraphQLNonNull):
        return output.of_type, False
    return output, True


def _kind(named: GraphQLOutputType, plain_types: Mapping[str, GraphQLObjectType]) -> Kind | None:
    if is_leaf_type(named):
        return Kind.LEAF
    if isinstance(named, GraphQLObjectType) and named.name in plain_types:
        return Kind.OBJECT
    if isinstance(named, GraphQLInterfaceType) and getattr(
        named.resolve_type, _WITHOUT_INFO, False
    ):
        return Kind.INTERFACE
    return None


def _plain_field(
    attribute: str, output: GraphQLOutputType, plain_types: Mapping[str, GraphQLObjectType]
) -> PlainField | None:
    """The plain field of a basic field of type `output`, or None when it is not plain."""
    named, nullable = _unwrapped(output)
    if isinstance(named, GraphQLList):
        item_type = named.of_type
        item, item_nullable = _unwrapped(item_type)
        kind = _kind(item, plain_types)
        if kind is None:
            return None
        return PlainField(attribute, output, item, nullable, kind, item_type, item_nullable)  # type: ignore[arg-type]
    kind = _kind(named, plain_types)
    if kind is None:
        return None
    return PlainField(attribute, output, named, nullable, kind)  # type: ignore[arg-type]


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
