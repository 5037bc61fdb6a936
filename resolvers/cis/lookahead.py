"""What a query selects of the CIs it lists: neighbours, impacted CIs, services, and so on.

Most pages of neighbours show only who the neighbour is (`to { id name }`); reading those
neighbours whole costs several times more, in Neo4j and here. The neighbour resolvers look at
their selection first and ask the repository for summaries when nothing else is selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from strawberry.types.nodes import SelectedField, Selection

__all__ = [
    "EDGE_SUMMARY_FIELDS",
    "SUMMARY_FIELDS",
    "selects",
    "selects_only",
    "selects_only_summary",
    "selects_only_summary_below",
]

SUMMARY_FIELDS = frozenset({"id", "name", "class", "classGroup", "__typename"})
"""What a CI summary answers (`to_summary`)."""

EDGE_SUMMARY_FIELDS = frozenset({"type", "fromId", "toId", "from", "to", "__typename"})
"""What an edge read without its details answers (`to_edge_summary`)."""


def selects_only_summary(selected: Iterable[Selection], end: str) -> bool:
    """True when `edges { node { <end> { ... } } }` under the connection fields `selected`
    asks for nothing but `SUMMARY_FIELDS`, through fragments and aliases too. A directive
    (@include, @skip) is treated as including: at worst the neighbour is read whole."""
    return selects_only_summary_below(selected, ("edges", "node", end))


def selects_only_summary_below(selected: Iterable[Selection], path: Sequence[str]) -> bool:
    """True when the CI fields reached from the fields `selected` along `path` (field names,
    through fragments and aliases) ask for nothing but `SUMMARY_FIELDS`; with an empty path,
    the fields `selected` are the CIs."""
    return selects_only(selected, path, SUMMARY_FIELDS)


def selects_only(
    selected: Iterable[Selection], path: Sequence[str], allowed: frozenset[str]
) -> bool:
    """True when the objects reached from the fields `selected` along `path` (field names,
    through fragments and aliases) ask for no field outside `allowed`."""
    return all(field.name in allowed for field in _below(selected, path))


def selects(selected: Iterable[Selection], path: Sequence[str], name: str) -> bool:
    """True when the objects reached from the fields `selected` along `path` ask for the field
    `name` (a directive counts as including it)."""
    return any(field.name == name for field in _below(selected, path))


def _below(selected: Iterable[Selection], path: Sequence[str]) -> Iterator[SelectedField]:
    """The fields selected on the objects reached from the fields `selected` along `path`."""
    level = list(_fields(selected))
    for name in path:
        level = [field for parent in level for field in _named(parent.selections, name)]
    return (field for parent in level for field in _fields(parent.selections))


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with those of its fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _named(selections: Iterable[Selection], name: str) -> Iterator[SelectedField]:
    return (field for field in _fields(selections) if field.name == name)
