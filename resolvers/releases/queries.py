"""Release queries: `release(number)`, `releases(filter, first, after)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers._context import Context
from resolvers._pagination import check_first, decode_cursor, encode_cursor, page_info
from resolvers.releases.inputs import ReleaseFilter
from resolvers.releases.types import Release, ReleaseConnection, ReleaseEdge, to_release

__all__ = ["ReleaseQuery"]


@strawberry.type
class ReleaseQuery:
    @strawberry.field(description="The release with this number (REL0001001), or null.")
    async def release(self, info: Info[Context, None], number: str) -> Release | None:
        found = await info.context.repositories.releases.get(number.strip().upper())
        return to_release(found) if found else None

    @strawberry.field(
        description="Releases matching `filter`, newest first, a page at a time (`first` at "
        "most 100)."
    )
    async def releases(
        self,
        info: Info[Context, None],
        filter: ReleaseFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ReleaseConnection:
        size = check_first(first)
        position = decode_cursor(after, 1)[0] if after else None
        criteria = filter.to_stored() if filter else None
        repository = info.context.repositories.releases
        page = await repository.page(size, position, criteria)
        edges = [
            ReleaseEdge(cursor=encode_cursor(r.number), node=to_release(r)) for r in page.items
        ]
        return ReleaseConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=lambda: repository.count(criteria),
        )
