"""Whether a query selects a field of the objects a list shows (through fragments and
aliases), so that a list works out a costly field only when some query reads it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from strawberry.types.nodes import SelectedField, Selection

__all__ = ["asks"]


def asks(selected: Iterable[Selection], path: Sequence[str], name: str) -> bool:
    """True when the objects reached from the fields `selected` along `path` (field names)
    select `name`. A directive (@include, @skip) counts as selecting: at worst the field is
    worked out and not shown."""
    level = list(_fields(selected))
    for step in path:
        level = [f for parent in level for f in _fields(parent.selections) if f.name == step]
    return any(f.name == name for parent in level for f in _fields(parent.selections))


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with those of its fragments."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)
