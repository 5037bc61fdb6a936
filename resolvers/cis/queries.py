"""CI queries: `ci(id)`, `cis(filter, first, after, orderBy)`,
`cmdbHealth(staleAfterDays)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import cis
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers._pagination import check_first, page_info
from resolvers.cis.filters import CIFilter, CIOrder, ci_cursor, ci_position
from resolvers.cis.health import DEFAULT_STALE_AFTER_DAYS, CMDBHealth
from resolvers.cis.types import CIConnection, CIEdge, ConfigurationItem, to_graphql

__all__ = ["CIQuery"]

NO_FILTER = cis.CIFilter()
BY_NAME = cis.CIOrder()


@strawberry.type
class CIQuery:
    @strawberry.field(description="The CI with this id, or null.")
    async def ci(self, info: Info[Context, None], id: strawberry.ID) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(str(id))
        return to_graphql(found) if found else None

    @strawberry.field(
        description=(
            "CIs matching `filter` in `orderBy` order (default: by name), a page at a time "
            "(`first` at most 100). Cursors are keyset positions tied to the ordering."
        )
    )
    async def cis(
        self,
        info: Info[Context, None],
        filter: CIFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: CIOrder | None = None,
    ) -> CIConnection:
        size = check_first(first)
        criteria = filter.to_stored() if filter else NO_FILTER
        order = order_by.to_stored() if order_by else BY_NAME
        position = ci_position(after, order) if after else None
        repository = info.context.repositories.cis
        with bad_request_on_refusal():
            page = await repository.page(size, position, criteria, order)

        async def count_matching() -> int:
            with bad_request_on_refusal():
                return await repository.count(criteria)

        edges = [
            CIEdge(cursor=ci_cursor(order, position), node=to_graphql(ci))
            for ci, position in zip(page.items, page.positions, strict=True)
        ]
        return CIConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=count_matching,
        )

    @strawberry.field(
        description=(
            "Orphaned, stale and incomplete CIs and stale relationships, each a connection "
            "with its own count. A CI or relationship is stale when no source has confirmed it "
            "for `staleAfterDays` days (1 .. 36500, default 30)."
        )
    )
    def cmdb_health(self, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> CMDBHealth:
        with bad_request_on_refusal():
            cis.check_stale_after_days(stale_after_days)
        return CMDBHealth(stale_after_days=stale_after_days)
