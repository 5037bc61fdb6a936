"""Relay's `clientMutationId` (docs/api.md): every mutation's `input` may carry one, and its
payload echoes it. Added to the built schema in one place rather than to each of the input and
payload classes by hand: the input field is ignored by the resolvers (Strawberry builds an
input object from its own fields only), and the mutation's resolver is wrapped to remember the
value under the field's response key, where the payload's field reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    get_named_type,
    get_nullable_type,
)

__all__ = ["FIELD", "add_client_mutation_id"]

FIELD = "clientMutationId"
INPUT_DESCRIPTION = "Any string the client chooses; the payload echoes it (Relay's convention)."
PAYLOAD_DESCRIPTION = "The input's clientMutationId, echoed; null when it had none."


def _echo(_: Any, info: GraphQLResolveInfo[Any]) -> str | None:
    mutation_key = info.path.prev.key if info.path.prev else None
    found: str | None = info.context.client_mutation_ids.get(mutation_key)
    return found


def _remembering(resolve: Callable[..., Any]) -> Callable[..., Any]:
    # Returns what `resolve` returns (an awaitable for an async resolver): graphql-core awaits.
    def remember(source: Any, info: GraphQLResolveInfo[Any], **args: Any) -> Any:
        given = (args.get("input") or {}).get(FIELD)
        if given is not None:
            info.context.client_mutation_ids[info.path.key] = given
        return resolve(source, info, **args)

    return remember


def add_client_mutation_id(schema: GraphQLSchema) -> None:
    """Adds `clientMutationId` to the input and payload of every mutation that takes an
    `input` object and returns an object (once: the schema may be built again)."""
    mutation = schema.mutation_type
    for field in (mutation.fields if mutation else {}).values():
        argument = field.args.get("input")
        payload = get_nullable_type(field.type)
        if argument is None or not isinstance(payload, GraphQLObjectType):
            continue
        input_type = get_named_type(argument.type)
        if not isinstance(input_type, GraphQLInputObjectType) or FIELD in payload.fields:
            continue
        input_type.fields.setdefault(
            FIELD, GraphQLInputField(GraphQLString, description=INPUT_DESCRIPTION)
        )
        payload.fields[FIELD] = GraphQLField(
            GraphQLString, resolve=_echo, description=PAYLOAD_DESCRIPTION
        )
        if field.resolve is not None:
            field.resolve = _remembering(field.resolve)
