"""What a query selects of the CIs it lists: neighbours, impacted CIs, services, and so on.

Most pages of neighbours show only who the neighbour is (`to { id name }`); reading those
neighbours whole costs several times more, in Neo4j and here. The neighbour resolvers look at
their selection first and ask the repository for summaries when nothing else is selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from strawberry.types.nodes import SelectedField, Selection

__all__ = ["SUMMARY_FIELDS", "selects_only_summary", "selects_only_summary_below"]

SUMMARY_FIELDS = frozenset({"id", "name", "class", "classGroup", "__typename"})
"""What a CI summary answers (`to_summary`)."""


def selects_only_summary(selected: Iterable[Selection], end: str) -> bool:
    """True when `edges { node { <end> { ... } } }` under the connection fields `selected`
    asks for nothing but `SUMMARY_FIELDS`, through fragments and aliases too. A directive
    (@include, @skip) is treated as including: at worst the neighbour is read whole."""
    return selects_only_summary_below(selected, ("edges", "node", end))


def selects_only_summary_below(selected: Iterable[Selection], path: Sequence[str]) -> bool:
    """True when the CI fields reached from the fields `selected` along `path` (field names,
    through fragments and aliases) ask for nothing but `SUMMARY_FIELDS`; with an empty path,
    the fields `selected` are the CIs."""
    level = list(_fields(selected))
    for name in path:
        level = [field for parent in level for field in _named(parent.selections, name)]
    return all(field.name in SUMMARY_FIELDS for ci in level for field in _fields(ci.selections))


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with those of its fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _named(selections: Iterable[Selection], name: str) -> Iterator[SelectedField]:
    return (field for field in _fields(selections) if field.name == name)
