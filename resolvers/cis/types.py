"""GraphQL types for configuration items (docs/concepts.md, "Configuration items"; docs/api.md)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLAbstractType, GraphQLResolveInfo
from strawberry.types import Info

from graph.cis import Direction, NeighbourRequest
from graph.domain import CI, CIClass, CIStatus, ClassGroup, Environment, RelationType
from resolvers._context import Context
from resolvers._pagination import (
    CountedConnection,
    Edge,
    check_first,
    decode_cursor,
    encode_cursor,
    page_info,
)
from resolvers.cis.history import AuditEventConnection, AuditEventEdge, to_event
from resolvers.cis.lookahead import selects_only_summary

if TYPE_CHECKING:
    from resolvers.relationships.types import RelationshipConnection

__all__ = [
    "CI_TYPES",
    "CIConnection",
    "CIEdge",
    "ConfigurationItem",
    "Node",
    "to_graphql",
    "to_summary",
]


@strawberry.interface(description="An object with a stable, opaque, server-generated id.")
class Node:
    id: strawberry.ID


@strawberry.type(description="The id a discovery source uses for a CI.")
class ExternalId:
    source: str
    id: str


@strawberry.type(description="A free-form attribute of a CI.")
class Attribute:
    key: str
    value: str


@strawberry.type(description="How many members of a redundancy group must be operational.")
class RedundancyRequirement:
    group: str
    min_operational: int


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
    ) -> Annotated[RelationshipConnection, strawberry.lazy("resolvers.relationships.types")]:
        return await _neighbours(info, self, Direction.DEPENDS_ON, first, after, types)

    @strawberry.field(description="The CIs that depend on this CI (incoming current edges).")
    async def dependents(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        types: list[RelationType] | None = None,
    ) -> Annotated[RelationshipConnection, strawberry.lazy("resolvers.relationships.types")]:
        return await _neighbours(info, self, Direction.DEPENDENTS, first, after, types)

    @strawberry.field(description="Changes to this CI and its relationships, newest first.")
    async def history(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuditEventConnection:
        size = check_first(first)
        key = decode_cursor(after, 2) if after else None
        page = await info.context.repositories.history.page(
            str(self.id), size, (key[0], key[1]) if key else None
        )
        edges = [
            AuditEventEdge(cursor=encode_cursor(*event.position), node=to_event(event))
            for event in page.items
        ]
        return AuditEventConnection(
            edges=edges, page_info=page_info(edges, page.has_next, after is not None)
        )

    @classmethod
    def resolve_type(
        cls, obj: Any, info: GraphQLResolveInfo[Any], abstract_type: GraphQLAbstractType
    ) -> str:
        # Every CI object is an instance of its class's type (CI_TYPES): its definition names
        # it, without Strawberry's general search through the schema for each CI of a list.
        name: str = obj.__strawberry_definition__.name
        return name


async def _neighbours(
    info: Info[Context, None],
    this: ConfigurationItem,
    direction: Direction,
    first: int | None,
    after: str | None,
    types: list[RelationType] | None,
) -> RelationshipConnection:
    from resolvers.relationships.types import (
        NeighbourEdge,
        RelationshipConnection,
        to_relationship,
    )

    size = check_first(first)
    key = decode_cursor(after, 3) if after else None
    ci_id = str(this.id)
    request = NeighbourRequest(
        ci_id,
        direction,
        size,
        (key[0], key[1], key[2]) if key else None,
        tuple(types) if types else tuple(RelationType),
        whole=not selects_only_summary(info.selected_fields, _OTHER_END[direction]),
    )
    page = await info.context.neighbour_loader.load(request)
    edges = [
        NeighbourEdge(
            cursor=encode_cursor(*neighbour.position),
            node=to_relationship(
                neighbour.relationship,
                {
                    ci_id: this,
                    neighbour.ci_id: to_graphql(neighbour.ci)
                    if neighbour.ci
                    else to_summary(neighbour.ci_id, neighbour.ci_name, neighbour.ci_class),
                },
            ),
        )
        for neighbour in page.items
    ]
    return RelationshipConnection(
        edges=edges,
        page_info=page_info(edges, page.has_next, after is not None),
        count=page.total,
    )


# The field of a neighbour page's edges that leads to the neighbour (the other is this CI).
_OTHER_END = {Direction.DEPENDS_ON: "to", Direction.DEPENDENTS: "from"}


def _ci_type(ci_class: CIClass) -> type[ConfigurationItem]:
    name = ci_class.label
    return strawberry.type(
        type(name, (ConfigurationItem,), {"__doc__": f"A {name} CI."}),
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


@strawberry.type
class CIEdge(Edge[ConfigurationItem]):
    pass


@strawberry.type(description="A page of CIs (Relay connection).")
class CIConnection(CountedConnection[CIEdge]):
    pass
