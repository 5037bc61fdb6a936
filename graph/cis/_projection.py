"""How a CI node becomes the `CI` dataclass: from all its properties, or from a lean projection.

Reads project `CI_PROJECTION` rather than `c {.*}`: the driver turns every temporal value into
its own `DateTime` type, field by field in Python, which costs about as much as everything else
about a row together. The projection sends the two timestamps the dataclass needs as text,
which `datetime.fromisoformat` reads in C, and leaves out properties no reader uses (the audit
fields, the import's provenance and confirmation times).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, LiteralString

from graph.domain import (
    ATTRIBUTE_PREFIX,
    CI,
    EXTERNAL_ID_SEPARATOR,
    MIN_OPERATIONAL_PREFIX,
    CIClass,
    CIStatus,
    Environment,
    ExternalId,
)

__all__ = [
    "CI_PROJECTION",
    "CLASS_BY_LABEL",
    "ci_from_projection",
    "ci_from_properties",
    "datetime_from_text",
]

# The CI bound to `c`, as a map that `ci_from_projection` reads. Attributes and redundancy
# requirements are properties with a prefix, so they travel as [key, value] pairs.
CI_PROJECTION: LiteralString = (
    """c {
  .id, .name, .class, .status, .environment, .criticality, .version, .description, .owner,
  .supportGroup, .serialNumber, .hostname, .fqdn, .ipAddress, .monthlyCost, .externalIds,
  createdAt: toString(c.createdAt), updatedAt: toString(c.updatedAt),
  prefixed: [k IN keys(c) WHERE k STARTS WITH '"""
    + ATTRIBUTE_PREFIX
    + "' OR k STARTS WITH '"
    + MIN_OPERATIONAL_PREFIX
    + """'
             | [k, c[k]]]
}"""
)


# Enum lookups by value, without Enum.__call__'s overhead: a page of neighbours makes hundreds.
CLASS_BY_LABEL = {ci_class.label: ci_class for ci_class in CIClass}
_STATUS = {status.value: status for status in CIStatus}
_ENVIRONMENT = {environment.value: environment for environment in Environment}


def datetime_from_text(text: str) -> datetime:
    """A Neo4j DATETIME's text (`toString`) as the aware datetime the driver would give:
    nanoseconds truncated to microseconds, a named zone read as its offset at that instant."""
    # A named zone follows the offset in brackets: "2025-01-01T10:00+01:00[Europe/Paris]".
    return datetime.fromisoformat(text.split("[", 1)[0] if text[-1] == "]" else text)


def ci_from_projection(row: dict[str, Any]) -> CI:
    """Maps a CI projected with `CI_PROJECTION` to the frozen dataclass."""
    return _ci(
        row,
        datetime_from_text(row["createdAt"]),
        datetime_from_text(row["updatedAt"]),
        row["prefixed"],
    )


def ci_from_properties(props: dict[str, Any]) -> CI:
    """Maps a CI node's properties (`c {.*}`) to the frozen dataclass."""
    return _ci(
        props,
        props["createdAt"].to_native(),
        props["updatedAt"].to_native(),
        [
            (key, value)
            for key, value in props.items()
            if key.startswith((ATTRIBUTE_PREFIX, MIN_OPERATIONAL_PREFIX))
        ],
    )


def _ci(
    props: dict[str, Any],
    created_at: datetime,
    updated_at: datetime,
    prefixed: list[Any],
) -> CI:
    attributes: list[tuple[str, str]] = []
    min_operational: list[tuple[str, int]] = []
    for key, value in prefixed:
        if key.startswith(ATTRIBUTE_PREFIX):
            attributes.append((key[len(ATTRIBUTE_PREFIX) :], str(value)))
        else:
            min_operational.append((key[len(MIN_OPERATIONAL_PREFIX) :], int(value)))
    cost = props.get("monthlyCost")
    return CI(
        id=props["id"],
        name=props["name"],
        ci_class=CLASS_BY_LABEL[props["class"]],
        status=_STATUS[props["status"]],
        environment=_ENVIRONMENT[props["environment"]],
        criticality=props.get("criticality"),
        created_at=created_at,
        updated_at=updated_at,
        version=int(props["version"]),
        description=props.get("description"),
        owner=props.get("owner"),
        support_group=props.get("supportGroup"),
        serial_number=props.get("serialNumber"),
        hostname=props.get("hostname"),
        fqdn=props.get("fqdn"),
        ip_address=props.get("ipAddress"),
        monthly_cost=Decimal(cost) if cost is not None else None,
        external_ids=tuple(
            ExternalId(*entry.split(EXTERNAL_ID_SEPARATOR, 1))
            for entry in props.get("externalIds") or ()
        ),
        attributes=tuple(sorted(attributes)),
        min_operational=tuple(sorted(min_operational)),
    )
