"""GraphQL inputs of the CI and relationship mutations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

import strawberry

from graph import cis
from graph.domain import ExternalId, NewCI, RelationType

__all__ = [
    "AttributeInput",
    "CIFields",
    "CreateCIInput",
    "ExternalIdInput",
    "RelateCIsInput",
    "RetireCIInput",
    "UnrelateCIsInput",
    "UpdateCIInput",
    "new_ci_from",
]


@strawberry.input
class ExternalIdInput:
    source: str
    id: str


@strawberry.input
class AttributeInput:
    key: str
    value: str


class CIFields(Protocol):
    """The CI fields shared by `CreateCIInput` and the import's rows."""

    @property
    def name(self) -> str | None: ...
    @property
    def ci_class(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def environment(self) -> str | None: ...
    @property
    def criticality(self) -> int | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def support_group(self) -> str | None: ...
    @property
    def serial_number(self) -> str | None: ...
    @property
    def hostname(self) -> str | None: ...
    @property
    def fqdn(self) -> str | None: ...
    @property
    def ip_address(self) -> str | None: ...
    @property
    def monthly_cost(self) -> Decimal | None: ...
    @property
    def external_ids(self) -> list[ExternalIdInput] | None: ...
    @property
    def attributes(self) -> list[AttributeInput] | None: ...


def new_ci_from(fields: CIFields) -> NewCI:
    """The domain's unchecked CI from GraphQL input fields."""
    return NewCI(
        name=fields.name,
        ci_class=fields.ci_class,
        status=fields.status,
        environment=fields.environment,
        criticality=fields.criticality,
        description=fields.description,
        owner=fields.owner,
        support_group=fields.support_group,
        serial_number=fields.serial_number,
        hostname=fields.hostname,
        fqdn=fields.fqdn,
        ip_address=fields.ip_address,
        monthly_cost=str(fields.monthly_cost) if fields.monthly_cost is not None else None,
        external_ids=tuple(ExternalId(e.source, e.id) for e in fields.external_ids or ()),
        attributes=tuple((a.key, a.value) for a in fields.attributes or ()),
    )


@strawberry.input(
    description=(
        "A new CI. `class`, `status` and `environment` take the values of the enums "
        "`CIClass`, `CIStatus` and `Environment`; they are text here so that an unknown value "
        "comes back as a typed error in the payload, like every other input error."
    )
)
class CreateCIInput:
    name: str
    ci_class: str = strawberry.field(name="class", description="A `CIClass` value, e.g. SERVER.")
    status: str | None = strawberry.field(default=None, description="Default OPERATIONAL.")
    environment: str | None = strawberry.field(default=None, description="Default PRODUCTION.")
    criticality: int | None = strawberry.field(
        default=None, description="1 = mission critical .. 4 = low."
    )
    description: str | None = None
    owner: str | None = None
    support_group: str | None = None
    serial_number: str | None = None
    hostname: str | None = None
    fqdn: str | None = None
    ip_address: str | None = None
    monthly_cost: Decimal | None = None
    external_ids: list[ExternalIdInput] | None = None
    attributes: list[AttributeInput] | None = None

    def to_new_ci(self) -> NewCI:
        return new_ci_from(self)


# Only the fields given are changed; an explicit null clears an optional field.
_PATCHABLE = {
    "name": "name",
    "status": "status",
    "environment": "environment",
    "criticality": "criticality",
    "description": "description",
    "owner": "owner",
    "support_group": "support_group",
    "serial_number": "serial_number",
    "hostname": "hostname",
    "fqdn": "fqdn",
    "ip_address": "ip_address",
}


@strawberry.input(
    description=(
        "Changes to a CI. Fields left out keep their value; null clears an optional field. "
        "`expectedVersion` is the version the change was based on: when the CI has moved on, "
        "the update is refused with a CONFLICT error and nothing is written."
    )
)
class UpdateCIInput:
    id: strawberry.ID
    expected_version: int
    name: str | None = strawberry.UNSET
    status: str | None = strawberry.UNSET
    environment: str | None = strawberry.UNSET
    criticality: int | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    owner: str | None = strawberry.UNSET
    support_group: str | None = strawberry.UNSET
    serial_number: str | None = strawberry.UNSET
    hostname: str | None = strawberry.UNSET
    fqdn: str | None = strawberry.UNSET
    ip_address: str | None = strawberry.UNSET
    monthly_cost: Decimal | None = strawberry.UNSET
    external_ids: list[ExternalIdInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole list when given."
    )
    attributes: list[AttributeInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the whole set when given."
    )

    def to_patch(self) -> dict[str, Any]:
        patch: dict[str, Any] = {
            field: getattr(self, attribute)
            for attribute, field in _PATCHABLE.items()
            if getattr(self, attribute) is not strawberry.UNSET
        }
        if self.monthly_cost is not strawberry.UNSET:
            patch["monthly_cost"] = None if self.monthly_cost is None else str(self.monthly_cost)
        if self.external_ids is not strawberry.UNSET:
            patch["external_ids"] = tuple(
                ExternalId(e.source, e.id) for e in self.external_ids or ()
            )
        if self.attributes is not strawberry.UNSET:
            patch["attributes"] = tuple((a.key, a.value) for a in self.attributes or ())
        return patch


@strawberry.input
class RetireCIInput:
    id: strawberry.ID
    expected_version: int | None = strawberry.field(
        default=None, description="When given, refused with CONFLICT if the CI moved on."
    )


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

    def to_new(self) -> cis.NewRelationship:
        return cis.NewRelationship(
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
