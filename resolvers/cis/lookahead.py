"""What a query selects of the CIs at the other end of `dependsOn` / `dependents`.

Most pages of neighbours show only who the neighbour is (`to { id name }`); reading those
neighbours whole costs several times more, in Neo4j and here. The neighbour resolvers look at
their selection first and ask the repository for summaries when nothing else is selected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import SelectedField, Selection

__all__ = ["SUMMARY_FIELDS", "selects_only_summary"]

SUMMARY_FIELDS = frozenset({"id", "name", "class", "classGroup", "__typename"})
"""What a CI summary answers (`to_summary`)."""


def selects_only_summary(selected: Iterable[Selection], end: str) -> bool:
    """True when `edges { node { <end> { ... } } }` under the connection fields `selected`
    asks for nothing but `SUMMARY_FIELDS`, through fragments and aliases too. A directive
    (@include, @skip) is treated as including: at worst the neighbour is read whole."""
    for connection in _fields(selected):
        for edges in _named(connection.selections, "edges"):
            for node in _named(edges.selections, "node"):
                for ci in _named(node.selections, end):
                    if any(field.name not in SUMMARY_FIELDS for field in _fields(ci.selections)):
                        return False
    return True


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with those of its fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def _named(selections: Iterable[Selection], name: str) -> Iterator[SelectedField]:
    return (field for field in _fields(selections) if field.name == name)
