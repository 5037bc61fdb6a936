"""GraphQL inputs of `importCIs` (docs/import.md)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from graph.domain import RelationType
from graph.imports import ImportCapacity, ImportCI, ImportRelationship, ImportRequest
from resolvers.cis.inputs import AttributeInput, ExternalIdInput, new_ci_from

__all__ = [
    "ImportCIInput",
    "ImportCIsInput",
    "ImportRelationshipInput",
    "RedundancyRequirementInput",
]


@strawberry.input(description="How many members of a redundancy group the CI needs.")
class RedundancyRequirementInput:
    group: str
    min_operational: int


@strawberry.input(description='A CI\'s capacity of one metric (docs/import.md, "Capacity").')
class ImportCapacityInput:
    metric: str
    capacity: float
    unit: str
    threshold: float = strawberry.field(
        default=0.8, description="A fraction of capacity in (0, 1]: above it, a hotspot."
    )
    utilisation: float | None = strawberry.field(
        default=None, description="How much is in use now, in the capacity's unit."
    )


@strawberry.input(
    description=(
        "A CI as a source reports it. Fields are those of `createCI`; `name` and `class` are "
        "required, but nullable here so that a row without them is reported as that row's "
        "error instead of refusing the whole request. Fields left out (or null) never clear "
        "what the CI has."
    )
)
class ImportCIInput:
    external_id: str | None = strawberry.field(
        default=None,
        description="The source's id of the CI: how it is identified on the next import and "
        "how relationships of this import name it.",
    )
    name: str | None = None
    ci_class: str | None = strawberry.field(
        default=None, name="class", description="A `CIClass` value, e.g. SERVER."
    )
    status: str | None = strawberry.field(
        default=None, description="A `CIStatus` value; a new CI defaults to OPERATIONAL."
    )
    environment: str | None = strawberry.field(
        default=None, description="An `Environment` value; a new CI defaults to PRODUCTION."
    )
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
    attributes: list[AttributeInput] | None = None
    external_ids: list[ExternalIdInput] | None = strawberry.field(
        default=None, description="Other sources' ids of the CI (one per source)."
    )
    min_operational: list[RedundancyRequirementInput] | None = None
    capacity: list[ImportCapacityInput] | None = strawberry.field(
        default=None,
        description="The CI's capacity of each metric, as setCapacity sets it, with its current "
        "utilisation as a reading at the import's instant.",
    )

    def to_row(self) -> ImportCI:
        ci = new_ci_from(self)
        return ImportCI(
            ci=ci,
            external_id=self.external_id,
            min_operational=tuple((m.group, m.min_operational) for m in self.min_operational or ()),
            capacity=tuple(
                ImportCapacity(c.metric, c.capacity, c.unit, c.threshold, c.utilisation)
                for c in self.capacity or ()
            ),
        )


@strawberry.input(description="An edge from the dependent CI to the CI it depends on.")
class ImportRelationshipInput:
    from_ref: str | None = strawberry.field(
        default=None,
        name="from",
        description="The dependent CI: an externalId of this import, the source's id of a CI "
        "in the graph, or a CI id.",
    )
    to_ref: str | None = strawberry.field(
        default=None, name="to", description="The CI depended on, named the same ways."
    )
    type: RelationType
    redundancy_group: str | None = None
    confidence: float | None = strawberry.field(default=None, description="0..1; default 1.")

    def to_row(self) -> ImportRelationship:
        return ImportRelationship(
            from_ref=self.from_ref,
            to_ref=self.to_ref,
            type=self.type.name,
            redundancy_group=self.redundancy_group,
            confidence=self.confidence,
        )


@strawberry.input(description="What one source reports: its CIs and their relationships.")
class ImportCIsInput:
    source: str = strawberry.field(
        description="Who reports: a discovery tool, another CMDB, a spreadsheet's owner."
    )
    cis: list[ImportCIInput] = strawberry.field(default_factory=list)
    relationships: list[ImportRelationshipInput] = strawberry.field(default_factory=list)
    skip_invalid: bool = strawberry.field(
        default=False,
        description="False: one invalid row means nothing is written. True: the valid rows "
        "are written and the invalid ones reported.",
    )

    def to_request(self) -> ImportRequest:
        return ImportRequest(
            source=self.source,
            cis=[row.to_row() for row in self.cis],
            relationships=[row.to_row() for row in self.relationships],
            skip_invalid=self.skip_invalid,
        )
