"""The two answers that list services: `ImpactReport` (what a change or failure touches) and
`OutageSimulation` (what-if), each with its services as a connection (docs/api.md,
"Impact and outage simulation").

Services come most critical first (criticality 1 before 4, none last), then the worst state
first, then by name and id. Their cursors are keyset positions (criticality, state, name, id):
the same cursor gives the same next page on the same graph, and after a write it gives the
services that now sort after that position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from graph import impact
from graph.domain import State
from resolvers._context import Context
from resolvers._errors import BadRequest
from resolvers._input_cursors import check_parts, identifier
from resolvers._pagination import (
    CountedConnection,
    Edge,
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
    page_info,
)
from resolvers.cis.lookahead import selects, selects_only_summary_below
from resolvers.cis.types import ConfigurationItem
from resolvers.impact.types import (
    ImpactedCIConnection,
    ImpactedCIEdge,
    Shown,
    cis_or_summaries,
    impacted_cis,
    load_cis,
)

__all__ = [
    "MAX_SERVICE_PAGE",
    "ImpactReport",
    "OutageSimulation",
    "ServiceOutcome",
    "ServiceOutcomeConnection",
    "ServiceOutcomeEdge",
]

MAX_SERVICE_PAGE = 5000
"""The most services one page may hold: a whole blast radius fits (a 100,000-CI graph has
some 3,300 services), so that a report needs no paging loop; other lists stop at 100."""

_CRITICALITIES = {"": None, "1": 1, "2": 2, "3": 3, "4": 4}
_STATES = {s.value: s for s in State}
_NODE = ("edges", "node")


def _cursor(position: impact.ServicePosition) -> str:
    criticality = "" if position.criticality is None else str(position.criticality)
    return encode_cursor(criticality, position.state.value, position.name, position.id)


E = TypeVar("E", bound=Edge[Any])


def _edges(
    info: Info[Context, None],
    edge: type[E],
    nodes: Sequence[Any],
    page: impact.ServicePage[Any],
    after: str | None,
) -> tuple[list[E], PageInfo]:
    """The edges of a page of services and its `pageInfo`. Each edge's cursor is made only
    when the query selects `cursor` (a page of thousands rarely does)."""
    with_cursor = selects(info.selected_fields, ("edges",), "cursor")
    edges = []
    for at, node in enumerate(nodes):
        # Built without __init__ (as `to_summary` builds CIs): an unselected cursor stays
        # unset, and reading it would fail loudly, never answer wrong.
        made = object.__new__(edge)
        made.node = node
        if with_cursor:
            made.cursor = _cursor(page.position(at))
        edges.append(made)
    last = len(nodes) - 1
    return edges, PageInfo(
        has_next_page=page.has_next,
        has_previous_page=after is not None,
        start_cursor=_cursor(page.position(0)) if nodes else None,
        end_cursor=_cursor(page.position(last)) if nodes else None,
    )


def _position(after: str | None) -> impact.ServicePosition | None:
    if not after:
        return None
    criticality, state, name, ci_id = decode_cursor(after, 4)
    if criticality not in _CRITICALITIES or state not in _STATES:
        raise BadRequest(f"'{after}' is not a cursor this API returned")
    check_parts(after, (ci_id,), (identifier,))
    return impact.ServicePosition(_CRITICALITIES[criticality], _STATES[state], name, ci_id)


@strawberry.type(description="What a change or failure of some CIs touches.")
class ImpactReport:
    analysis: strawberry.Private[impact.ImpactAnalysis]
    count: int = strawberry.field(description="How many CIs are impacted.")
    truncated: bool = strawberry.field(
        description="True when the depth limit cut the traversal: more CIs lie beyond it."
    )
    max_depth: int
    unknown_ci_ids: list[strawberry.ID] = strawberry.field(
        description="Given ids that name no CI in scope (unknown, or retired unless "
        "includeRetired)."
    )

    @strawberry.field(description="The given CIs found in the graph.")
    async def changed(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.analysis.changed))

    @strawberry.field(
        description="Business and technical services among the changed and impacted CIs, "
        "most critical first, then DOWN before DEGRADED, then by name, a page at a time "
        f"(first: default 20, at most {MAX_SERVICE_PAGE})."
    )
    async def services(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> ImpactedCIConnection:
        size = check_first(first, MAX_SERVICE_PAGE)
        page = self.analysis.services_page(_position(after), size)
        shown = Shown.of(info, _NODE)
        items = await impacted_cis(info, page.items, Shown(shown.whole, shown.whole_path, True))
        edges, paging = _edges(info, ImpactedCIEdge, items, page, after)
        return ImpactedCIConnection(edges=edges, page_info=paging, count=page.total)

    @strawberry.field(description="Every impacted CI, nearest first, a page at a time.")
    async def impacted(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> ImpactedCIConnection:
        size = check_first(first)
        start = 0
        if after:
            depth, index = decode_cursor(after, 2)
            if not (depth.isdigit() and index.isdigit()):
                raise BadRequest(f"'{after}' is not a cursor this API returned")
            start = int(index) + 1
        chosen = await impacted_cis(
            info, self.analysis.impacted(start, size), Shown.of(info, _NODE)
        )
        edges = [
            ImpactedCIEdge(cursor=encode_cursor(str(item.depth), str(start + i)), node=item)
            for i, item in enumerate(chosen)
        ]
        has_next = start + size < self.analysis.count
        return ImpactedCIConnection(
            edges=edges, page_info=page_info(edges, has_next, start > 0), count=self.analysis.count
        )


@strawberry.type(description="A service's state when some CIs fail.")
class ServiceOutcome:
    outcome: strawberry.Private[impact.ServiceOutcome]
    service: ConfigurationItem | None
    state: State

    @strawberry.field
    def reason(self) -> str:
        return self.outcome.reason

    @strawberry.field(description="The failed CIs that brought the service to this state.")
    async def failed_causes(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.outcome.failed_causes))


@strawberry.type
class ServiceOutcomeEdge(Edge[ServiceOutcome]):
    pass


@strawberry.type
class ServiceOutcomeConnection(CountedConnection[ServiceOutcomeEdge]):
    pass


@strawberry.type(description="The state of the services when some CIs fail.")
class OutageSimulation:
    simulation: strawberry.Private[impact.OutageSimulation]
    include_operational: strawberry.Private[bool]
    unknown_ci_ids: list[strawberry.ID]

    @strawberry.field
    async def failed(self, info: Info[Context, None]) -> list[ConfigurationItem]:
        return await load_cis(info, list(self.simulation.failed))

    @strawberry.field(
        description="The services whose state the outage changes (every service with "
        "includeOperational), most critical first, then DOWN before DEGRADED before "
        f"OPERATIONAL, then by name, a page at a time (first: default 20, at most "
        f"{MAX_SERVICE_PAGE})."
    )
    async def services(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> ServiceOutcomeConnection:
        size = check_first(first, MAX_SERVICE_PAGE)
        page = self.simulation.page(_position(after), size, self.include_operational)
        whole = not selects_only_summary_below(info.selected_fields, (*_NODE, "service"))
        services = await cis_or_summaries(info, [o.service for o in page.items], whole)
        outcomes = [
            ServiceOutcome(outcome=outcome, service=service, state=outcome.state)
            for outcome, service in zip(page.items, services, strict=True)
        ]
        edges, paging = _edges(info, ServiceOutcomeEdge, outcomes, page, after)
        return ServiceOutcomeConnection(edges=edges, page_info=paging, count=page.total)
