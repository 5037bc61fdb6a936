"""Incident queries: `incident(number)`, `incidents(filter, first, after, orderBy)`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import incidents
from resolvers._context import Context
from resolvers._errors import bad_request_on_refusal
from resolvers._pagination import check_first, page_info
from resolvers.incidents.answers import incident_number
from resolvers.incidents.filters import (
    IncidentFilter,
    IncidentOrder,
    incident_cursor,
    incident_position,
)
from resolvers.incidents.types import Incident, IncidentConnection, IncidentEdge, to_incident

__all__ = ["IncidentQuery"]


@strawberry.type
class IncidentQuery:
    @strawberry.field(description="The incident with this number (INC0001001), or null.")
    async def incident(self, info: Info[Context, None], number: str) -> Incident | None:
        found = await info.context.repositories.incidents.get(incident_number(number))
        return to_incident(found) if found else None

    @strawberry.field(
        description="Incidents matching `filter` in `orderBy` order (default: newest first), a "
        "page at a time (`first` at most 100); cursors are tied to the ordering."
    )
    async def incidents(
        self,
        info: Info[Context, None],
        filter: IncidentFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: IncidentOrder | None = None,
    ) -> IncidentConnection:
        size = check_first(first)
        criteria = filter.to_stored() if filter else incidents.IncidentFilter()
        order = order_by.to_stored() if order_by else incidents.IncidentOrder()
        position = incident_position(after, order) if after else None
        repository = info.context.repositories.incidents
        with bad_request_on_refusal():
            page = await repository.page(size, position, criteria, order)

        async def count_matching() -> int:
            with bad_request_on_refusal():
                return await repository.count(criteria)

        edges = [
            IncidentEdge(cursor=incident_cursor(order, position), node=to_incident(i))
            for i, position in zip(page.items, page.positions, strict=True)
        ]
        return IncidentConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=count_matching,
        )
