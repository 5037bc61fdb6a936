"""What a CI's `dependsOn` or `dependents` asks the neighbour repository for: the page from
the field's arguments, and from what the query selects whether the neighbours must be read
whole, the edges with their details, and the total (docs/concepts.md, "Relationships")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from graphql.pyutils import Path
from strawberry.types import Info

from graph import cis
from graph.domain import RelationType
from resolvers._context import Context
from resolvers._input_cursors import any_text, check_parts, identifier
from resolvers._pagination import check_first, decode_cursor
from resolvers.cis.lookahead import (
    EDGE_SUMMARY_FIELDS,
    selects,
    selects_only,
    selects_only_summary,
)

__all__ = ["count_later", "neighbour_request"]

# The field of a neighbour page's edges that leads to the neighbour (the other is this CI).
_OTHER_END = {cis.Direction.DEPENDS_ON: "to", cis.Direction.DEPENDENTS: "from"}
_EDGE = ("edges", "node")


@dataclass(frozen=True)
class _Shape:
    """What the query reads of one neighbour field: the same for every CI of a list."""

    whole: bool
    details: bool
    total: bool


_RELATION_NAMES = frozenset(t.value for t in RelationType)


def neighbour_request(
    info: Info[Context, None],
    ci_id: str,
    direction: cis.Direction,
    first: int | None,
    after: str | None,
    types: list[RelationType] | None,
) -> cis.NeighbourRequest:
    """The page of `ci_id`'s neighbours the field asks for; summaries suffice when the query
    reads nothing of the neighbours but `SUMMARY_FIELDS`, edges without details when it reads
    nothing of them but `EDGE_SUMMARY_FIELDS`, and the total is counted when `totalCount` is
    selected."""
    size = check_first(first)
    key = decode_cursor(after, 3) if after else None
    if after and key:
        check_parts(after, key, (_RELATION_NAMES.__contains__, any_text, identifier))
    shape = _shape(info, direction)
    return cis.NeighbourRequest(
        ci_id,
        direction,
        size,
        (key[0], key[1], key[2]) if key else None,
        tuple(types) if types else tuple(RelationType),
        whole=shape.whole,
        details=shape.details,
        total=shape.total,
    )


def _shape(info: Info[Context, None], direction: cis.Direction) -> _Shape:
    """The field's `_Shape`, worked out once per operation for all the CIs of a list: the
    selection at one response path (list positions aside) is the same for each of them."""
    operation = info.operation
    # By identity: a document's nodes hash by their content, which costs more than the walk.
    path: list[object] = [id(operation)]
    at: Path | None = info.path
    while at is not None:
        if not isinstance(at.key, int):
            path.append((at.key, at.typename))
        at = at.prev
    memo = info.context.selections
    key = tuple(path)
    found = memo.get(key)
    if found is not None and found[0] is operation and isinstance(found[1], _Shape):
        return found[1]
    selected = info.selected_fields
    shape = _Shape(
        whole=not selects_only_summary(selected, _OTHER_END[direction]),
        details=not selects_only(selected, _EDGE, EDGE_SUMMARY_FIELDS),
        total=selects(selected, (), "totalCount"),
    )
    # The operation is kept with the answer, so that its id names no other while it is kept.
    memo[key] = (operation, shape)
    return shape


def count_later(
    info: Info[Context, None], request: cis.NeighbourRequest
) -> Callable[[], Awaitable[int]]:
    """The total of a page read without it, counted if `totalCount` is resolved after all (the
    request asks for it whenever the query selects it: this is a safety net)."""

    async def count() -> int:
        page = await info.context.neighbour_loader.load(replace(request, first=0, total=True))
        return page.total or 0

    return count
