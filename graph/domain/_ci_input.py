"""Validation of CI input: the rules of docs/concepts.md ("Configuration items") that hold
before anything is written."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, LiteralString

from graph.domain._ci import CIClass, CIStatus, Environment, ExternalId
from graph.domain._text import is_attribute_key
from graph.errors import FieldError, InvalidInput

__all__ = [
    "ATTRIBUTE_PREFIX",
    "EXTERNAL_ID_SEPARATOR",
    "MIN_OPERATIONAL_PREFIX",
    "NewCI",
    "ValidCI",
    "min_operational_property",
    "validate_new_ci",
]

MAX_NAME = 200
MAX_TEXT = 4000
MAX_ATTRIBUTE_VALUE = 1000

# The storage codec: how the parts of a CI that are maps in the API live on its node. Neo4j
# properties are flat, so a free attribute `rto` is the property `attr.rto`, a pool requirement
# of the group `web` is `minOperational.web`, and each other source's id is an entry
# "<source><EXTERNAL_ID_SEPARATOR><id>" of the list `externalIds`. LiteralString: queries spell
# the prefixes by concatenating these constants, never by formatting.
ATTRIBUTE_PREFIX: LiteralString = "attr."
MIN_OPERATIONAL_PREFIX: LiteralString = "minOperational."
EXTERNAL_ID_SEPARATOR: LiteralString = "\x1f"


def min_operational_property(group: str) -> str:
    """The node property holding how many members of `group` its CI needs."""
    return f"{MIN_OPERATIONAL_PREFIX}{group}"


@dataclass(frozen=True)
class NewCI:
    """A CI as the user sent it: enum values still as text, nothing checked yet."""

    name: str | None
    ci_class: str | None
    status: str | None = None
    environment: str | None = None
    criticality: int | None = None
    description: str | None = None
    owner: str | None = None
    support_group: str | None = None
    serial_number: str | None = None
    hostname: str | None = None
    fqdn: str | None = None
    ip_address: str | None = None
    monthly_cost: str | None = None
    external_ids: tuple[ExternalId, ...] = ()
    attributes: tuple[tuple[str, str], ...] = field(default=())


@dataclass(frozen=True)
class ValidCI:
    """A checked CI: its class, and the node properties to store."""

    ci_class: CIClass
    properties: dict[str, Any]


def _enum_value(
    errors: list[FieldError], field_name: str, raw: str | None, enum: type[Any], default: Any
) -> Any:
    if raw is None:
        if default is None:
            errors.append(FieldError(field_name, f"{field_name} is required", "REQUIRED"))
        return default
    try:
        return enum[raw.strip().upper()]
    except KeyError:
        allowed = ", ".join(member.name for member in enum)
        errors.append(
            FieldError(
                field_name, f"unknown {field_name} '{raw}'; allowed: {allowed}", "INVALID_VALUE"
            )
        )
        return default


def _text(errors: list[FieldError], field_name: str, raw: str | None, limit: int) -> str | None:
    if raw is None:
        return None
    value = raw.strip()
    if len(value) > limit:
        errors.append(
            FieldError(field_name, f"{field_name} is longer than {limit} characters", "TOO_LONG")
        )
    return value or None


def validate_new_ci(ci: NewCI) -> ValidCI:
    """Checks every field and returns the properties to store; raises `InvalidInput` listing
    every problem at once, so the user fixes them in one go."""
    errors: list[FieldError] = []
    name = _text(errors, "name", ci.name, MAX_NAME)
    if name is None:
        errors.append(FieldError("name", "name is required and cannot be blank", "REQUIRED"))
    ci_class = _enum_value(errors, "class", ci.ci_class, CIClass, None)
    status = _enum_value(errors, "status", ci.status, CIStatus, CIStatus.OPERATIONAL)
    environment = _enum_value(
        errors, "environment", ci.environment, Environment, Environment.PRODUCTION
    )
    if ci.criticality is not None and not 1 <= ci.criticality <= 4:
        errors.append(
            FieldError(
                "criticality",
                f"criticality must be 1 (mission critical) to 4 (low), got {ci.criticality}",
                "OUT_OF_RANGE",
            )
        )
    properties: dict[str, Any] = {
        "name": name,
        "status": status.value,
        "environment": environment.value,
        "criticality": ci.criticality,
        "description": _text(errors, "description", ci.description, MAX_TEXT),
        "owner": _text(errors, "owner", ci.owner, MAX_NAME),
        "supportGroup": _text(errors, "supportGroup", ci.support_group, MAX_NAME),
        "serialNumber": _text(errors, "serialNumber", ci.serial_number, MAX_NAME),
        "hostname": _lower(_text(errors, "hostname", ci.hostname, 253)),
        "fqdn": _lower(_text(errors, "fqdn", ci.fqdn, 253)),
        "ipAddress": _ip_address(errors, ci.ip_address),
        "monthlyCost": _money(errors, ci.monthly_cost),
        "externalIds": _external_ids(errors, ci.external_ids),
    }
    properties.update(_attributes(errors, ci.attributes))
    if errors:
        raise InvalidInput(errors)
    properties["class"] = ci_class.label
    return ValidCI(ci_class, properties)


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None


def _ip_address(errors: list[FieldError], raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        errors.append(
            FieldError("ipAddress", f"'{raw}' is not an IPv4 or IPv6 address", "INVALID_FORMAT")
        )
        return None


def _money(errors: list[FieldError], raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        amount = Decimal(raw.strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        errors.append(
            FieldError("monthlyCost", f"'{raw}' is not a non-negative amount", "INVALID_VALUE")
        )
        return None
    return str(amount)


def _external_ids(errors: list[FieldError], ids: tuple[ExternalId, ...]) -> list[str]:
    stored = []
    for item in ids:
        source, key = item.source.strip(), item.external_id.strip()
        if not source or not key or EXTERNAL_ID_SEPARATOR in source + key:
            errors.append(
                FieldError("externalIds", "each external id needs a source and an id", "REQUIRED")
            )
            continue
        if len(source) > MAX_NAME or len(key) > MAX_NAME:
            # Indexed: Neo4j refuses index keys of more than a few kilobytes.
            errors.append(
                FieldError(
                    "externalIds",
                    f"a source and an external id are at most {MAX_NAME} characters each",
                    "TOO_LONG",
                )
            )
            continue
        stored.append(f"{source}{EXTERNAL_ID_SEPARATOR}{key}")
    return stored


def _attributes(errors: list[FieldError], pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    stored: dict[str, str] = {}
    for key, value in pairs:
        if not is_attribute_key(key):
            errors.append(
                FieldError(
                    "attributes",
                    f"attribute key '{key}' must start with a letter and use letters, digits,"
                    " '_', '.', '-' (64 at most)",
                    "INVALID_FORMAT",
                )
            )
        elif len(value) > MAX_ATTRIBUTE_VALUE:
            errors.append(FieldError("attributes", f"attribute '{key}' is too long", "TOO_LONG"))
        else:
            stored[f"{ATTRIBUTE_PREFIX}{key}"] = value
    return stored
