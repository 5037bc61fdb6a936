"""GraphQL inputs for relating and unrelating CIs."""

from __future__ import annotations

import strawberry

from graph.cis import NewRelationship
from graph.domain import RelationType

__all__ = ["RelateCIsInput", "UnrelateCIsInput"]


@strawberry.input(description="An edge from the dependent CI to the CI it depends on.")
class RelateCIsInput:
    from_id: strawberry.ID = strawberry.field(name="from", description="The dependent CI.")
    to_id: strawberry.ID = strawberry.field(name="to", description="The CI depended on.")
    type: RelationType
    source: str | None = strawberry.field(default=None, description="Who reports the edge.")
    confidence: float | None = strawberry.field(default=None, description="0..1; default 1.")
    redundancy_group: str | None = strawberry.field(
        default=None, description="Pool name shared by the edges to interchangeable CIs."
    )
    min_operational: int | None = strawberry.field(
        default=None,
        description="How many members of `redundancyGroup` the dependent CI needs (default: all).",
    )

    def to_new(self) -> NewRelationship:
        return NewRelationship(
            from_id=str(self.from_id),
            to_id=str(self.to_id),
            type=self.type,
            source=self.source,
            confidence=self.confidence,
            redundancy_group=self.redundancy_group,
            min_operational=self.min_operational,
        )


@strawberry.input
class UnrelateCIsInput:
    from_id: strawberry.ID = strawberry.field(name="from")
    to_id: strawberry.ID = strawberry.field(name="to")
    type: RelationType
