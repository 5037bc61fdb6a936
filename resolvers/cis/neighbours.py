"""What a CI's `dependsOn` or `dependents` asks the neighbour repository for: the page from
the field's arguments, and whether the neighbours must be read whole (docs/concepts.md,
"Relationships")."""

from __future__ import annotations

from strawberry.types import Info

from graph import cis
from graph.domain import RelationType
from resolvers._context import Context
from resolvers._pagination import check_first, decode_cursor
from resolvers.cis.lookahead import selects_only_summary

__all__ = ["neighbour_request"]

# The field of a neighbour page's edges that leads to the neighbour (the other is this CI).
_OTHER_END = {cis.Direction.DEPENDS_ON: "to", cis.Direction.DEPENDENTS: "from"}


def neighbour_request(
    info: Info[Context, None],
    ci_id: str,
    direction: cis.Direction,
    first: int | None,
    after: str | None,
    types: list[RelationType] | None,
) -> cis.NeighbourRequest:
    """The page of `ci_id`'s neighbours the field asks for; summaries suffice when the query
    reads nothing of the neighbours but `SUMMARY_FIELDS`."""
    size = check_first(first)
    key = decode_cursor(after, 3) if after else None
    return cis.NeighbourRequest(
        ci_id,
        direction,
        size,
        (key[0], key[1], key[2]) if key else None,
        tuple(types) if types else tuple(RelationType),
        whole=not selects_only_summary(info.selected_fields, _OTHER_END[direction]),
    )
