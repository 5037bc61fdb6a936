"""The words of the CMDB as Python values: CI classes and groups, statuses, environments, the CI.

These enums are the allow-lists: a label or relationship type that reaches Cypher comes from
here, never from user text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

__all__ = [
    "CI",
    "CIClass",
    "CIStatus",
    "ClassGroup",
    "Environment",
    "ExternalId",
]


class ClassGroup(Enum):
    SERVICE = "Service"
    APPLICATION = "Application"
    INFRASTRUCTURE = "Infrastructure"
    FACILITY = "Facility"


class CIClass(Enum):
    """Each value is the class's Neo4j label; the name is its GraphQL enum value."""

    BUSINESS_SERVICE = "BusinessService"
    TECHNICAL_SERVICE = "TechnicalService"
    APPLICATION = "Application"
    MICROSERVICE = "Microservice"
    DATABASE = "Database"
    CACHE = "Cache"
    MESSAGE_QUEUE = "MessageQueue"
    LOAD_BALANCER = "LoadBalancer"
    SOFTWARE = "Software"
    SERVER = "Server"
    VIRTUAL_MACHINE = "VirtualMachine"
    CONTAINER = "Container"
    CLUSTER = "Cluster"
    NETWORK_DEVICE = "NetworkDevice"
    STORAGE_DEVICE = "StorageDevice"
    CLOUD_RESOURCE = "CloudResource"
    LOCATION = "Location"

    @property
    def label(self) -> str:
        return self.value

    @property
    def group(self) -> ClassGroup:
        return _GROUP_OF[self]

    @classmethod
    def from_label(cls, label: str) -> CIClass:
        return cls(label)


_GROUP_OF: dict[CIClass, ClassGroup] = {
    **{c: ClassGroup.SERVICE for c in (CIClass.BUSINESS_SERVICE, CIClass.TECHNICAL_SERVICE)},
    **{
        c: ClassGroup.APPLICATION
        for c in (
            CIClass.APPLICATION,
            CIClass.MICROSERVICE,
            CIClass.DATABASE,
            CIClass.CACHE,
            CIClass.MESSAGE_QUEUE,
            CIClass.LOAD_BALANCER,
            CIClass.SOFTWARE,
        )
    },
    **{
        c: ClassGroup.INFRASTRUCTURE
        for c in (
            CIClass.SERVER,
            CIClass.VIRTUAL_MACHINE,
            CIClass.CONTAINER,
            CIClass.CLUSTER,
            CIClass.NETWORK_DEVICE,
            CIClass.STORAGE_DEVICE,
            CIClass.CLOUD_RESOURCE,
        )
    },
    CIClass.LOCATION: ClassGroup.FACILITY,
}


class CIStatus(Enum):
    PLANNED = "PLANNED"
    IN_BUILD = "IN_BUILD"
    OPERATIONAL = "OPERATIONAL"
    MAINTENANCE = "MAINTENANCE"
    RETIRED = "RETIRED"


class Environment(Enum):
    PRODUCTION = "PRODUCTION"
    STAGING = "STAGING"
    TEST = "TEST"
    DEVELOPMENT = "DEVELOPMENT"


@dataclass(frozen=True)
class ExternalId:
    """The identifier a discovery source uses for a CI."""

    source: str
    external_id: str


@dataclass(frozen=True)
class CI:
    """A configuration item as stored, with the common attributes of every class
    (docs/concepts.md, "Configuration items")."""

    id: str
    name: str
    ci_class: CIClass
    status: CIStatus
    environment: Environment
    criticality: int | None
    created_at: datetime
    updated_at: datetime
    version: int
    description: str | None = None
    owner: str | None = None
    support_group: str | None = None
    serial_number: str | None = None
    hostname: str | None = None
    fqdn: str | None = None
    ip_address: str | None = None
    monthly_cost: Decimal | None = None
    external_ids: tuple[ExternalId, ...] = ()
    attributes: tuple[tuple[str, str], ...] = field(default=())
    min_operational: tuple[tuple[str, int], ...] = ()
    """Per redundancy group of its outgoing edges: how many members must be operational."""
