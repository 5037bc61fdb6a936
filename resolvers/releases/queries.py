"""Release queries: `release(number)`, `releases(filter, first, after, orderBy)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import releases
from resolvers._context import Context
from resolvers._errors import BadRequest
from resolvers._input_cursors import check_parts, record_number
from resolvers._pagination import check_first, decode_cursor, encode_cursor, page_info
from resolvers.releases.inputs import ReleaseFilter, ReleaseOrder
from resolvers.releases.types import Release, ReleaseConnection, ReleaseEdge, to_release

__all__ = ["ReleaseQuery"]


def _direction(order: releases.ReleaseOrder) -> str:
    return "DESC" if order.descending else "ASC"


def _cursor(number: str, order: releases.ReleaseOrder) -> str:
    """A release's cursor: its number and the direction of the list."""
    return encode_cursor(number, _direction(order))


def _position(after: str | None, order: releases.ReleaseOrder) -> str | None:
    """Where `after` points; a cursor made in the other direction is a bad request."""
    if after is None:
        return None
    number, direction = decode_cursor(after, 2)
    if direction != _direction(order):
        raise BadRequest(
            "this cursor continues releases in the other direction: ask with the orderBy it "
            "came from, or start again without after"
        )
    check_parts(after, (number,), (record_number,))
    return number


@strawberry.type
class ReleaseQuery:
    @strawberry.field(description="The release with this number (REL0001001), or null.")
    async def release(self, info: Info[Context, None], number: str) -> Release | None:
        found = await info.context.repositories.releases.get(number.strip().upper())
        return to_release(found) if found else None

    @strawberry.field(
        description="Releases matching `filter` in `orderBy` order (default: newest first), a "
        "page at a time (`first` at most 100); cursors are tied to the ordering."
    )
    async def releases(
        self,
        info: Info[Context, None],
        filter: ReleaseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: ReleaseOrder | None = None,
    ) -> ReleaseConnection:
        size = check_first(first)
        order = order_by.to_stored() if order_by else releases.ReleaseOrder()
        position = _position(after, order)
        criteria = filter.to_stored() if filter else None
        repository = info.context.repositories.releases
        page = await repository.page(size, position, criteria, order)
        edges = [
            ReleaseEdge(cursor=_cursor(r.number, order), node=to_release(r)) for r in page.items
        ]
        return ReleaseConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=lambda: repository.count(criteria),
        )
