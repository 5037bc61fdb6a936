"""The class-mapping tables of discovery, read from `tables.yaml` beside this module (data,
not code: docs/discovery.md lists them)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "backstage_class",
    "image_class",
    "servicenow_class",
    "servicenow_relationship",
    "servicenow_status",
    "terraform_class",
]

TABLES = Path(__file__).with_name("tables.yaml")


@cache
def _tables() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(TABLES.read_text(encoding="utf-8"))
    return loaded


def _lookup(table: dict[str, Any], name: str) -> Any:
    """The entry of `name` (lower-case): exact, else the longest `prefix*` key matching."""
    key = name.strip().lower()
    if key in table:
        return table[key]
    prefixes = [k for k in table if k.endswith("*") and key.startswith(k[:-1])]
    return table[max(prefixes, key=len)] if prefixes else None


def image_class(image: str | None) -> str:
    """The class of a container image (`images` table), MICROSERVICE by default."""
    table = _tables()["images"]
    segment = (image or "").split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0].lower()
    for part in re.split(r"[-_.]", segment):
        for key, ci_class in table["classes"].items():
            if part.startswith(key):
                return str(ci_class)
    return str(table["default"])


def terraform_class(resource_type: str) -> str:
    table = _tables()["terraform"]
    return str(_lookup(table["classes"], resource_type) or table["default"])


def backstage_class(kind: str, spec_type: str | None) -> str | None:
    """The class of a Backstage entity, None for kinds that are not CIs."""
    by_type = _tables()["backstage"].get(kind.lower())
    if by_type is None:
        return None
    return str(by_type.get((spec_type or "").lower()) or by_type["default"])


def servicenow_class(sys_class_name: str) -> str | None:
    found = _lookup(_tables()["servicenow"]["classes"], sys_class_name)
    return str(found) if found else None


def servicenow_status(operational_status: str) -> str | None:
    found = _tables()["servicenow"]["statuses"].get(operational_status.strip().lower())
    return str(found) if found else None


def servicenow_relationship(descriptor: str) -> tuple[str, str | None] | None:
    """(relation type, redundancy group or None) of a `cmdb_rel_ci` type descriptor."""
    normal = "::".join(part.strip() for part in descriptor.lower().split("::"))
    found = _tables()["servicenow"]["relationships"].get(normal)
    if found is None:
        return None
    return str(found["type"]), found.get("pool")
