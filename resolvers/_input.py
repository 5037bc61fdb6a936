"""Hostile input refused before any resolver runs (docs/api.md, "Input limits"): text that is
not Unicode (lone surrogates, in the document, the variables or the operation's name), and
strings longer than the table of `graph.domain.INPUT_LIMITS` allows, in any argument or input
field, literal or variable, each error naming the argument's path (`cis.filter.search`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)
from graphql.execution.values import get_argument_values, get_variable_values

from graph.domain import DEFAULT_INPUT_LIMIT, INPUT_LIMITS, input_limit, lone_surrogate_at
from resolvers._errors import BadRequest

__all__ = ["check_text", "oversized_inputs"]

BAD_USER_INPUT = "BAD_USER_INPUT"
_SHORTEST_LIMIT = min(DEFAULT_INPUT_LIMIT, *INPUT_LIMITS.values())

# A GraphQL string escape: `\\` (skipped, so that `\\ud800` stays text), or `\uXXXX` of a
# surrogate, with the low half that completes a high one, or `\u{...}` of a surrogate.
_ESCAPE = re.compile(
    r"\\(?:\\|u([dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|u[dD][c-fC-F][0-9a-fA-F]{2}|u\{0*[dD][89a-fA-F][0-9a-fA-F]{2}\})"
)
_NOT_UNICODE = (
    "{where} holds a lone surrogate ({detail}), which is not Unicode text: send strings as "
    "valid UTF-8"
)


def _lone_escape(document: str) -> str | None:
    """The first escape in `document` that spells a lone surrogate, None when none does."""
    if "\\u" not in document:
        return None
    for found in _ESCAPE.finditer(document):
        text = found.group(0)
        if text == "\\\\":
            continue
        if found.group(1) is not None and found.group(2) is not None:
            continue  # a surrogate pair: one character
        return text[:10]
    return None


def check_text(
    document: str | None, variables: Mapping[str, Any] | None, operation_name: str | None
) -> None:
    """Raises `BadRequest` when the document (its characters or its string escapes), the
    variables or the operation's name hold a lone surrogate. O(size of the request)."""
    if document is not None:
        if lone_surrogate_at(document) is not None:
            raise BadRequest(_NOT_UNICODE.format(where="The document", detail="a character"))
        escape = _lone_escape(document)
        if escape is not None:
            raise BadRequest(
                _NOT_UNICODE.format(where="A string of the document", detail=f"'{escape}'")
            )
    if operation_name is not None and lone_surrogate_at(operation_name) is not None:
        raise BadRequest(_NOT_UNICODE.format(where="operationName", detail="a character"))
    where = lone_surrogate_at(dict(variables or {}))
    if where is not None:
        raise BadRequest(_NOT_UNICODE.format(where=f"The variable {where}", detail="a character"))


def _longest_string(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return max((_longest_string(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return max((_longest_string(v) for v in value), default=0)
    return 0


def _too_long(value: Any, name: str, path: str, found: list[tuple[str, int, int]]) -> None:
    if isinstance(value, str):
        limit = input_limit(name)
        if len(value) > limit:
            found.append((path, len(value), limit))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _too_long(item, str(key), f"{path}.{key}", found)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _too_long(item, name, f"{path}[{index}]", found)


class _Arguments(Visitor):
    """Collects the strings over their limit in the arguments of every field visited."""

    def __init__(self, type_info: TypeInfo, variables: Any) -> None:
        super().__init__()
        self._type_info = type_info
        self._variables = variables
        self.found: list[tuple[str, int, int]] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        definition = self._type_info.get_field_def()
        if definition is None or not node.arguments:
            return
        try:
            values = get_argument_values(definition, node, self._variables)
        except GraphQLError:
            return  # a value that does not fit its type: execution refuses it
        for name, value in values.items():
            _too_long(value, name, f"{node.name.value}.{name}", self.found)


def oversized_inputs(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> list[GraphQLError]:
    """One error per string argument or input field of `operation` (literal or variable, in
    the operation or its fragments) longer than its limit. Run after validation: the document
    is valid. O(size of the document and the variables); a request whose document and strings
    are all shorter than the shortest limit (most are) is not walked."""
    text = document.loc.source.body if document.loc is not None else None
    if (
        text is not None
        and len(text) <= _SHORTEST_LIMIT
        and _longest_string(dict(variables or {})) <= _SHORTEST_LIMIT
    ):
        return []
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {})
    )
    if isinstance(coerced, list):
        return []  # variables that do not fit their types: execution refuses them
    type_info = TypeInfo(schema)
    collector = _Arguments(type_info, coerced)
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    for definition in (operation, *fragments):
        visit(definition, TypeInfoVisitor(type_info, collector))
    return [
        GraphQLError(
            f"{path} is {length} characters long, more than its limit of {limit}.",
            extensions={"code": BAD_USER_INPUT, "argument": path, "limit": limit},
        )
        for path, length, limit in collector.found
    ]
