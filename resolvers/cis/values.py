"""The values a CI carries besides plain fields: external ids, attributes, and what it needs
of each redundancy group it depends on (docs/concepts.md, "Configuration items")."""

from __future__ import annotations

import strawberry

__all__ = ["Attribute", "ExternalId", "RedundancyRequirement"]


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
