"""GraphQL types for relationships between CIs (docs/concepts.md, "Relationships")."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import strawberry
from strawberry.types import Info

from graph.cis import Relationship as StoredRelationship
from graph.domain import RelationType
from resolvers._context import Context
from resolvers._pagination import CountedConnection, Edge
from resolvers.cis.types import ConfigurationItem, to_graphql

__all__ = ["NeighbourEdge", "Relationship", "RelationshipConnection", "to_relationship"]


@strawberry.type(description="A dependency edge, with where the fact came from.")
class Relationship:
    type: RelationType
    from_id: strawberry.ID
    to_id: strawberry.ID
    source: str | None = strawberry.field(description="The source that reported it.")
    confidence: float | None = strawberry.field(description="0..1, how sure that source is.")
    redundancy_group: str | None
    created_at: datetime
    last_confirmed_at: datetime = strawberry.field(
        description="The last time any source reported it."
    )
    valid_from: datetime
    valid_to: datetime | None = strawberry.field(description="Null while the edge is current.")
    known: strawberry.Private[dict[str, ConfigurationItem]] = dataclasses.field(
        default_factory=dict
    )
    """Ends already at hand (a CI's neighbour list has both): answered without a load."""

    # Plain functions that answer at once when the end is known, and hand back an awaitable
    # otherwise: a neighbour page of thousands of edges then costs no await per end.
    @strawberry.field(
        name="from", description="The dependent CI.", graphql_type=ConfigurationItem | None
    )
    def from_ci(self, info: Info[Context, None]) -> object:
        return self._end(info, str(self.from_id))

    @strawberry.field(
        name="to", description="The CI depended on.", graphql_type=ConfigurationItem | None
    )
    def to_ci(self, info: Info[Context, None]) -> object:
        return self._end(info, str(self.to_id))

    def _end(self, info: Info[Context, None], ci_id: str) -> object:
        if ci_id in self.known:
            return self.known[ci_id]
        return _load(info, ci_id)


async def _load(info: Info[Context, None], ci_id: str) -> ConfigurationItem | None:
    found = await info.context.ci_loader.load(ci_id)
    return to_graphql(found) if found else None


def to_relationship(
    edge: StoredRelationship, known: dict[str, ConfigurationItem] | None = None
) -> Relationship:
    return Relationship(
        known=known or {},
        type=edge.type,
        from_id=strawberry.ID(edge.from_id),
        to_id=strawberry.ID(edge.to_id),
        source=edge.source,
        confidence=edge.confidence,
        redundancy_group=edge.redundancy_group,
        created_at=edge.created_at,
        last_confirmed_at=edge.last_confirmed_at,
        valid_from=edge.valid_from,
        valid_to=edge.valid_to,
    )


@strawberry.type
class NeighbourEdge(Edge[Relationship]):
    node: Relationship = strawberry.field(description="The edge; `from`/`to` give its ends.")


@strawberry.type(
    description="A page of a CI's current relationships, ordered by type, then the other CI's name."
)
class RelationshipConnection(CountedConnection[NeighbourEdge]):
    pass
