"""Overloaded documents, refused before validation (docs/limits.md): a field selected many
times over in one selection set, or a location carrying a pile of directives.

graphql-core's validation compares every pair of fields of one response name (its
OverlappingFieldsCanBeMerged rule: quadratic, stopped only at half a million comparisons, a
third of a second of the event loop), and reports every unknown directive on its own. Neither
has a use: the executor merges repeated fields into one, and the schema's executable
directives (`@skip`, `@include`) may each appear once per location. So the document is walked
once, without recursion (its nesting is bounded only by its tokens), and one error answers
the first overload found; validation, and its cache, never see that document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    Node,
    SelectionSetNode,
)
from strawberry.extensions import ValidationCache

__all__ = ["MAX_DIRECTIVES", "MAX_REPEATS", "CheckedValidationCache", "overload_of"]

MAX_REPEATS = 5
"""How often one selection set may select the same field (response name) or spread the same
fragment."""

MAX_DIRECTIVES = 4
"""How many directives one field, fragment or operation may carry."""

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def _key(selection: Node) -> str | None:
    if isinstance(selection, FieldNode):
        return (selection.alias or selection.name).value
    if isinstance(selection, FragmentSpreadNode):
        return f"...{selection.name.value}"
    return None  # an inline fragment: its own selection set is checked


def _repeated(selection_set: SelectionSetNode) -> GraphQLError | None:
    counts = Counter(_key(s) for s in selection_set.selections)
    counts.pop(None, None)
    for key, count in counts.items():
        if count > MAX_REPEATS:
            nodes = [s for s in selection_set.selections if _key(s) == key]
            return GraphQLError(
                f"'{key}' is selected {count} times in one selection set, more than the limit"
                f" of {MAX_REPEATS}: select it once.",
                nodes=nodes[:1],
                extensions={"code": VALIDATION_FAILED, "limit": MAX_REPEATS},
            )
    return None


def _nodes(document: DocumentNode) -> Iterator[Node]:
    """Every definition and selection of `document`, depth first, with an explicit stack."""
    stack: list[Node] = list(reversed(document.definitions))
    while stack:
        node = stack.pop()
        yield node
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            stack.extend(reversed(selection_set.selections))


def overload_of(document: DocumentNode) -> GraphQLError | None:
    """The error of the first overload in `document` (module docstring), None without one."""
    for node in _nodes(document):
        directives = getattr(node, "directives", None) or ()
        if len(directives) > MAX_DIRECTIVES:
            return GraphQLError(
                f"{len(directives)} directives on one location, more than the limit of"
                f" {MAX_DIRECTIVES}.",
                nodes=[node],
                extensions={"code": VALIDATION_FAILED, "limit": MAX_DIRECTIVES},
            )
        selection_set = getattr(node, "selection_set", None)
        if isinstance(selection_set, SelectionSetNode):
            error = _repeated(selection_set)
            if error is not None:
                return error
    return None


class CheckedValidationCache(ValidationCache):
    """Strawberry's validation cache, behind the overload check: an overloaded document is
    answered with the one error and is neither validated nor cached."""

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        error = overload_of(document) if document is not None else None
        if error is None:
            yield from super().on_validate()
            return
        self.execution_context.pre_execution_errors = [error]
        yield
