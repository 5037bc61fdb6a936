"""Change queries: `change(number)`, `changes(filter, first, after, orderBy)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import changes
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers._pagination import check_first, page_info
from resolvers.changes.answers import change_number
from resolvers.changes.filters import ChangeFilter, ChangeOrder, change_cursor, change_position
from resolvers.changes.types import Change, ChangeConnection, ChangeEdge, to_change

__all__ = ["ChangeQuery"]


@strawberry.type
class ChangeQuery:
    @strawberry.field(description="The change with this number (CHG0001001), or null.")
    async def change(self, info: Info[Context, None], number: str) -> Change | None:
        found = await info.context.repositories.changes.get(change_number(number))
        return to_change(found) if found else None

    @strawberry.field(
        description="Changes matching `filter` in `orderBy` order (default: soonest planned "
        "start first), a page at a time (`first` at most 100); cursors are tied to the ordering."
    )
    async def changes(
        self,
        info: Info[Context, None],
        filter: ChangeFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: ChangeOrder | None = None,
    ) -> ChangeConnection:
        size = check_first(first)
        criteria = filter.to_stored() if filter else changes.ChangeFilter()
        order = order_by.to_stored() if order_by else changes.ChangeOrder()
        position = change_position(after, order) if after else None
        repository = info.context.repositories.changes
        with bad_request_on_refusal():
            page = await repository.page(size, position, criteria, order)

        async def count_matching() -> int:
            with bad_request_on_refusal():
                return await repository.count(criteria)

        edges = [
            ChangeEdge(cursor=change_cursor(order, position), node=to_change(c))
            for c, position in zip(page.items, page.positions, strict=True)
        ]
        return ChangeConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=count_matching,
        )
