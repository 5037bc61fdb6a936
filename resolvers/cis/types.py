"""GraphQL types for configuration items and the edges between them (docs/concepts.md,
"Configuration items" and "Relationships"; docs/api.md).

A CI lists its edges and an edge shows its two CIs: both types live here, so that no other
module of `resolvers/cis/` imports this one back.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from graphql import GraphQLAbstractType, GraphQLResolveInfo
from strawberry.types import Info

from graph import cis
from graph.domain import CI, CIClass, CIStatus, ClassGroup, Environment, RelationType
from resolvers._context import Context
from resolvers._pagination import Count, CountedConnection, Edge, encode_cursor, page_info
from resolvers._plain import resolves_without_info
from resolvers.cis.capacity import CapacityFigure, load_capacity
from resolvers.cis.history import AuditEventConnection, history_page
from resolvers.cis.neighbours import count_later, neighbour_request
from resolvers.cis.values import Attribute, ExternalId, RedundancyRequirement
from resolvers.services.types import ServiceLevelFields

__all__ = [
    "CI_TYPES",
    "CIConnection",
    "CIEdge",
    "ConfigurationItem",
    "NeighbourEdge",
    "Node",
    "Relationship",
    "RelationshipConnection",
    "to_edge_summary",
    "to_graphql",
    "to_relationship",
    "to_summary",
]


@strawberry.interface(description="An object with a stable, opaque, server-generated id.")
class Node:
    id: strawberry.ID


@strawberry.interface(description="A configuration item: a node of the CMDB graph.")
class ConfigurationItem(Node):
    name: str
    ci_class: CIClass = strawberry.field(name="class")
    class_group: ClassGroup
    status: CIStatus
    environment: Environment
    criticality: int | None = strawberry.field(description="1 = mission critical .. 4 = low.")
    description: str | None
    owner: str | None
    support_group: str | None
    serial_number: str | None
    hostname: str | None
    fqdn: str | None
    ip_address: str | None
    monthly_cost: Decimal | None = strawberry.field(description="In the installation's currency.")
    external_ids: list[ExternalId]
    attributes: list[Attribute]
    created_at: datetime
    updated_at: datetime
    version: int = strawberry.field(description="Increases with every update (optimistic locking).")
    min_operational: list[RedundancyRequirement] = strawberry.field(
        description="Per redundancy group of this CI's dependencies: members needed (default all)."
    )

    @strawberry.field(description="The CIs this CI depends on (outgoing current edges).")
    async def depends_on(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        types: list[RelationType] | None = None,
    ) -> RelationshipConnection:
        return await _neighbours(info, self, cis.Direction.DEPENDS_ON, first, after, types)

    @strawberry.field(description="The CIs that depend on this CI (incoming current edges).")
    async def dependents(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        types: list[RelationType] | None = None,
    ) -> RelationshipConnection:
        return await _neighbours(info, self, cis.Direction.DEPENDENTS, first, after, types)

    @strawberry.field(description="Its capacity of each metric with the latest reading.")
    async def capacity(self, info: Info[Context, None]) -> list[CapacityFigure]:
        return await load_capacity(info, str(self.id))

    @strawberry.field(description="Changes to this CI and its relationships, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        return await history_page(info, str(self.id), first, after)

    @classmethod
    @resolves_without_info
    def resolve_type(
        cls, obj: Any, info: GraphQLResolveInfo[Any], abstract_type: GraphQLAbstractType
    ) -> str:
        # Every CI object is an instance of its class's type (CI_TYPES): its definition names
        # it, without Strawberry's search through the schema (nor the info) for each CI.
        return str(obj.__strawberry_definition__.name)


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
        return self.known[ci_id] if ci_id in self.known else _load(info, ci_id)


@strawberry.type
class CIEdge(Edge[ConfigurationItem]):
    pass


@strawberry.type(description="A page of CIs (Relay connection).")
class CIConnection(CountedConnection[CIEdge]):
    pass


@strawberry.type
class NeighbourEdge(Edge[Relationship]):
    node: Relationship = strawberry.field(description="The edge; `from`/`to` give its ends.")


@strawberry.type(
    description="A page of a CI's current relationships, ordered by type, then the other CI's name."
)
class RelationshipConnection(CountedConnection[NeighbourEdge]):
    pass


async def _load(info: Info[Context, None], ci_id: str) -> ConfigurationItem | None:
    found = await info.context.ci_loader.load(ci_id)
    return to_graphql(found) if found else None


async def _neighbours(
    info: Info[Context, None],
    this: ConfigurationItem,
    direction: cis.Direction,
    first: int | None,
    after: str | None,
    types: list[RelationType] | None,
) -> RelationshipConnection:
    ci_id = str(this.id)
    request = neighbour_request(info, ci_id, direction, first, after, types)
    page = await info.context.neighbour_loader.load(request)
    edges = [
        NeighbourEdge(cursor=encode_cursor(*neighbour.position), node=_edge(neighbour, this))
        for neighbour in page.items
    ]
    count: Count = page.total if page.total is not None else count_later(info, request)
    paging = page_info(edges, page.has_next, after is not None)
    return RelationshipConnection(edges=edges, page_info=paging, count=count)


def _edge(neighbour: cis.Neighbour, this: ConfigurationItem) -> Relationship:
    """The edge to `neighbour` of `this` CI, its two ends at hand."""
    found, other_id = neighbour.ci, neighbour.ci_id
    other = (
        to_graphql(found) if found else to_summary(other_id, neighbour.ci_name, neighbour.ci_class)
    )
    known = {str(this.id): this, other_id: other}
    if neighbour.relationship is not None:
        return to_relationship(neighbour.relationship, known)
    return to_edge_summary(neighbour.type, neighbour.from_id, neighbour.to_id, known)


def _ci_type(ci_class: CIClass) -> type[ConfigurationItem]:
    name = ci_class.label
    # A business service also answers what it promises (its service level).
    bases: tuple[type, ...] = (ConfigurationItem,)
    if ci_class is CIClass.BUSINESS_SERVICE:
        bases = (ConfigurationItem, ServiceLevelFields)
    return strawberry.type(
        type(name, bases, {"__doc__": f"A {name} CI."}),
        description=f"A CI of class {ci_class.name} ({ci_class.group.value}).",
    )


CI_TYPES: dict[CIClass, type[ConfigurationItem]] = {c: _ci_type(c) for c in CIClass}


def to_graphql(ci: CI) -> ConfigurationItem:
    """The GraphQL object of the CI's class."""
    return CI_TYPES[ci.ci_class](
        id=strawberry.ID(ci.id),
        name=ci.name,
        ci_class=ci.ci_class,
        class_group=ci.ci_class.group,
        status=ci.status,
        environment=ci.environment,
        criticality=ci.criticality,
        description=ci.description,
        owner=ci.owner,
        support_group=ci.support_group,
        serial_number=ci.serial_number,
        hostname=ci.hostname,
        fqdn=ci.fqdn,
        ip_address=ci.ip_address,
        monthly_cost=ci.monthly_cost,
        external_ids=[ExternalId(source=e.source, id=e.external_id) for e in ci.external_ids],
        attributes=[Attribute(key=k, value=v) for k, v in ci.attributes],
        created_at=ci.created_at,
        updated_at=ci.updated_at,
        version=ci.version,
        min_operational=[
            RedundancyRequirement(group=group, min_operational=needed)
            for group, needed in ci.min_operational
        ],
    )


def to_summary(ci_id: str, name: str, ci_class: CIClass) -> ConfigurationItem:
    """The GraphQL object of a CI of which only `SUMMARY_FIELDS` are set: for a neighbour
    when `selects_only_summary` showed that the query reads no other field of it."""
    # Built without __init__, which would need every field: reading an unset one would
    # fail loudly (AttributeError), never answer a wrong value.
    summary = object.__new__(CI_TYPES[ci_class])
    summary.id = strawberry.ID(ci_id)
    summary.name = name
    summary.ci_class = ci_class
    summary.class_group = ci_class.group
    return summary


def to_edge_summary(
    relation_type: RelationType, from_id: str, to_id: str, known: dict[str, ConfigurationItem]
) -> Relationship:
    """The GraphQL object of an edge of which only `EDGE_SUMMARY_FIELDS` answer: for a page
    of neighbours whose query reads nothing else of the edges (see `to_summary`)."""
    summary = object.__new__(Relationship)
    summary.type = relation_type
    summary.from_id = strawberry.ID(from_id)
    summary.to_id = strawberry.ID(to_id)
    summary.known = known
    return summary


def to_relationship(
    edge: cis.Relationship, known: dict[str, ConfigurationItem] | None = None
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
