"""CI queries: `ci(id)`, `cis(first, after)`, `node(id)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._pagination import PageInfo, check_first, decode_cursor, encode_cursor
from resolvers.cis.types import CIConnection, CIEdge, ConfigurationItem, Node, to_graphql

__all__ = ["CIQuery"]


@strawberry.type
class CIQuery:
    @strawberry.field(description="The CI with this id, or null.")
    async def ci(self, info: Info[Context, None], id: strawberry.ID) -> ConfigurationItem | None:
        found = await info.context.ci_loader.load(str(id))
        return to_graphql(found) if found else None

    @strawberry.field(description="Any object by its id, or null.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        found = await info.context.ci_loader.load(str(id))
        return to_graphql(found) if found else None

    @strawberry.field(description="CIs ordered by name, a page at a time (at most 100).")
    async def cis(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> CIConnection:
        size = check_first(first)
        key = decode_cursor(after, 2) if after else None
        repository = info.context.repositories.cis
        page = await repository.page(size, (key[0], key[1]) if key else None)
        edges = [
            CIEdge(cursor=encode_cursor(ci.name, ci.id), node=to_graphql(ci)) for ci in page.items
        ]
        return CIConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=after is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count_all=repository.count,
        )
