"""GraphQL inputs for CI mutations."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from graph import ExternalId, NewCI

__all__ = ["AttributeInput", "CreateCIInput", "ExternalIdInput"]


@strawberry.input
class ExternalIdInput:
    source: str
    id: str


@strawberry.input
class AttributeInput:
    key: str
    value: str


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
        return NewCI(
            name=self.name,
            ci_class=self.ci_class,
            status=self.status,
            environment=self.environment,
            criticality=self.criticality,
            description=self.description,
            owner=self.owner,
            support_group=self.support_group,
            serial_number=self.serial_number,
            hostname=self.hostname,
            fqdn=self.fqdn,
            ip_address=self.ip_address,
            monthly_cost=str(self.monthly_cost) if self.monthly_cost is not None else None,
            external_ids=tuple(ExternalId(e.source, e.id) for e in self.external_ids or ()),
            attributes=tuple((a.key, a.value) for a in self.attributes or ()),
        )
