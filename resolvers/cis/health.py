"""The CMDB health report: orphans, stale CIs and relationships, incomplete CIs
(docs/concepts.md, "CMDB health")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TypeVar

import strawberry
from strawberry.types import Info

from graph import cis
from resolvers._context import Context
from resolvers._errors import BadRequest, bad_request_on_refusal
from resolvers._input_cursors import Part, any_text, check_parts, edge_key, identifier, timestamp
from resolvers._pagination import (
    CountedConnection,
    Edge,
    check_first,
    decode_cursor,
    encode_cursor,
    page_info,
)
from resolvers.cis.types import (
    CIConnection,
    CIEdge,
    ConfigurationItem,
    Relationship,
    to_graphql,
    to_relationship,
)

__all__ = [
    "DEFAULT_STALE_AFTER_DAYS",
    "CMDBHealth",
    "IncompleteCI",
    "IncompleteCIConnection",
    "StaleCI",
    "StaleCIConnection",
    "StaleRelationshipConnection",
]

T = TypeVar("T")

DEFAULT_STALE_AFTER_DAYS = 30


@strawberry.type(description="A CI that no source has confirmed for the asked number of days.")
class StaleCI:
    ci: ConfigurationItem
    last_confirmed_at: datetime = strawberry.field(
        description="When a source last reported the CI; its last update if none ever did."
    )


@strawberry.type
class StaleCIEdge(Edge[StaleCI]):
    pass


@strawberry.type(description="Stale CIs, the longest unconfirmed first.")
class StaleCIConnection(CountedConnection[StaleCIEdge]):
    pass


@strawberry.type
class StaleRelationshipEdge(Edge[Relationship]):
    pass


@strawberry.type(description="Stale relationships, the longest unconfirmed first.")
class StaleRelationshipConnection(CountedConnection[StaleRelationshipEdge]):
    pass


@strawberry.type(description="A production CI without an attribute it needs.")
class IncompleteCI:
    ci: ConfigurationItem
    missing: list[cis.RequiredAttribute] = strawberry.field(
        description="What it lacks, in the order OWNER, SUPPORT_GROUP, CRITICALITY."
    )


@strawberry.type
class IncompleteCIEdge(Edge[IncompleteCI]):
    pass


@strawberry.type(description="Incomplete production CIs, by name.")
class IncompleteCIConnection(CountedConnection[IncompleteCIEdge]):
    pass


_SHAPES: dict[str, tuple[Part, Part]] = {
    "orphans": (any_text, identifier),
    "staleCIs": (timestamp, identifier),
    "staleRelationships": (timestamp, edge_key),
    "incompleteCIs": (any_text, identifier),
}
"""What the sort key and the tie-break of each list's cursors look like."""
_DOES_NOT_FIT = "after: the cursor does not fit this list"


def _position(cursor: str | None, listing: str) -> cis.PageKey | None:
    """The keyset position in `cursor`; each list refuses the cursors of the others."""
    if cursor is None:
        return None
    made_for, key, tie_break = decode_cursor(cursor, 3)
    if made_for != listing:
        raise BadRequest(f"this cursor continues {made_for}, not {listing}")
    check_parts(cursor, (key, tie_break), _SHAPES[listing], _DOES_NOT_FIT)
    return key, tie_break


def _cursored(listing: str, page: cis.HealthPage[T]) -> Iterator[tuple[str, T]]:
    """Each item of the page with its cursor."""
    for position, item in zip(page.positions, page.items, strict=True):
        yield encode_cursor(listing, *position), item


@strawberry.type(
    description=(
        "How true the CMDB is: CIs with no relationships, CIs and relationships no source has "
        "confirmed for `staleAfterDays` days, production CIs missing required attributes. "
        "Retired CIs are left out of every list."
    )
)
class CMDBHealth:
    stale_after_days: int

    @strawberry.field(description="CIs with no current relationship in either direction, by name.")
    async def orphans(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> CIConnection:
        size = check_first(first)
        health = info.context.repositories.health
        with bad_request_on_refusal():
            page = await health.orphans(size, _position(after, "orphans"))
        edges = [
            CIEdge(cursor=cursor, node=to_graphql(ci)) for cursor, ci in _cursored("orphans", page)
        ]
        return CIConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=health.count_orphans,
        )

    @strawberry.field(
        name="staleCIs",
        description="CIs not confirmed by any source for `staleAfterDays` days, oldest first.",
    )
    async def stale_cis(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> StaleCIConnection:
        size = check_first(first)
        health, days = info.context.repositories.health, self.stale_after_days
        with bad_request_on_refusal():
            page = await health.stale_cis(days, size, _position(after, "staleCIs"))
        edges = [
            StaleCIEdge(cursor=cursor, node=_stale_ci(item))
            for cursor, item in _cursored("staleCIs", page)
        ]
        return StaleCIConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=lambda: health.count_stale_cis(days),
        )

    @strawberry.field(
        description=(
            "Current relationships not confirmed by any source for `staleAfterDays` days, "
            "oldest first."
        )
    )
    async def stale_relationships(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> StaleRelationshipConnection:
        size = check_first(first)
        health, days = info.context.repositories.health, self.stale_after_days
        listing = "staleRelationships"
        with bad_request_on_refusal():
            page = await health.stale_relationships(days, size, _position(after, listing))
        edges = [
            StaleRelationshipEdge(cursor=cursor, node=_stale_relationship(item))
            for cursor, item in _cursored(listing, page)
        ]
        return StaleRelationshipConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=lambda: health.count_stale_relationships(days),
        )

    @strawberry.field(
        name="incompleteCIs",
        description="Production CIs without owner, support group or criticality, by name.",
    )
    async def incomplete_cis(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> IncompleteCIConnection:
        size = check_first(first)
        health = info.context.repositories.health
        with bad_request_on_refusal():
            page = await health.incomplete_cis(size, _position(after, "incompleteCIs"))
        edges = [
            IncompleteCIEdge(cursor=cursor, node=_incomplete(item))
            for cursor, item in _cursored("incompleteCIs", page)
        ]
        return IncompleteCIConnection(
            edges=edges,
            page_info=page_info(edges, page.has_next, after is not None),
            count=health.count_incomplete_cis,
        )


def _stale_ci(item: cis.StaleCI) -> StaleCI:
    return StaleCI(ci=to_graphql(item.ci), last_confirmed_at=item.last_confirmed_at)


def _stale_relationship(item: cis.StaleRelationship) -> Relationship:
    return to_relationship(item.relationship)


def _incomplete(item: cis.IncompleteCI) -> IncompleteCI:
    return IncompleteCI(ci=to_graphql(item.ci), missing=list(item.missing))
