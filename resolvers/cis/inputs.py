"""GraphQL inputs for CI mutations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from graph import ExternalId, NewCI

__all__ = [
    "AttributeInput",
    "CreateCIInput",
    "ExternalIdInput",
    "RetireCIInput",
    "UpdateCIInput",
]


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
