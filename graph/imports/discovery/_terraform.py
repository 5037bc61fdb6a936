"""Terraform state (format version 4) to one import (docs/discovery.md, "Terraform state")."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph.errors import FieldError, InvalidInput
from graph.imports.discovery._model import Discovery, Rows, Unresolved, ci_row, edge_row
from graph.imports.discovery._tables import terraform_class

__all__ = ["map_terraform"]

# The other sources' ids a resource carries: its cloud's id (ARN on AWS, else `id`).
_CLOUD_OF_PROVIDER = {"aws": "aws", "google": "gcp", "google-beta": "gcp", "azurerm": "azure"}
_NAME_ATTRIBUTES = ("name", "identifier", "cluster_id", "bucket", "function_name")
_KEPT_ATTRIBUTES = (
    "instance_type",
    "engine",
    "engine_version",
    "machine_type",
    "size",
    "region",
    "location",
    "availability_zone",
    "zone",
)


def _provider(resource: Mapping[str, Any]) -> str:
    """`provider["terraform.example/hashicorp/aws"]` -> `aws`."""
    text = str(resource.get("provider", ""))
    return text.rsplit("/", 1)[-1].rstrip('"]').split(".", 1)[0]


def _address(resource: Mapping[str, Any], index: Any) -> tuple[str, str]:
    """(instance address, resource address): `module.db.aws_db_instance.main[0]`."""
    base = f"{resource['type']}.{resource['name']}"
    if resource.get("module"):
        base = f"{resource['module']}.{base}"
    if index is None:
        return base, base
    return f"{base}[{json.dumps(index)}]", base


def _name(resource: Mapping[str, Any], attributes: Mapping[str, Any], address: str) -> str:
    tags = attributes.get("tags") or {}
    if isinstance(tags, Mapping) and tags.get("Name"):
        return str(tags["Name"])
    for key in _NAME_ATTRIBUTES:
        if isinstance(attributes.get(key), str) and attributes[key]:
            return str(attributes[key])
    return address


def map_terraform(state: Any, source: str) -> Discovery:
    """The import of a state file's managed resource instances and their recorded
    dependencies. `InvalidInput` for a state that is not format version 4. Pure: O(instances
    + dependencies)."""
    if not isinstance(state, Mapping) or state.get("version") != 4:
        raise InvalidInput(
            [FieldError("file", "not a Terraform state of format version 4", "INVALID_FORMAT")]
        )
    rows = Rows()
    instances_of: dict[str, list[str]] = {}
    dependencies: list[tuple[str, list[str]]] = []
    for resource in state.get("resources") or []:
        if resource.get("mode") != "managed":
            continue
        provider = _provider(resource)
        for instance in resource.get("instances") or []:
            attributes = instance.get("attributes") or {}
            address, base = _address(resource, instance.get("index_key"))
            instances_of.setdefault(base, []).append(address)
            kept = {"type": str(resource["type"]), "provider": provider}
            kept.update({k: str(attributes[k]) for k in _KEPT_ATTRIBUTES if attributes.get(k)})
            cloud_id = attributes.get("arn") or attributes.get("id")
            cloud = _CLOUD_OF_PROVIDER.get(provider, provider)
            other_ids = {cloud: str(cloud_id)} if cloud_id and cloud else None
            fields: dict[str, str | None] = {}
            for key, field in (("private_ip", "ip_address"), ("fqdn", "fqdn")):
                if isinstance(attributes.get(key), str) and attributes[key]:
                    fields[field] = attributes[key]
            ci_class = terraform_class(str(resource["type"]))
            name = _name(resource, attributes, address)
            rows.add_ci(ci_row(address, name, ci_class, kept, other_ids=other_ids, fields=fields))
            dependencies.append((address, list(instance.get("dependencies") or [])))
    for address, needs in dependencies:
        for needed in needs:
            if needed.startswith("data.") or ".data." in needed:
                continue  # data sources are read, not managed: no CI
            targets = instances_of.get(needed) or ([needed] if needed in rows.cis else [])
            if not targets:
                rows.unresolved_once(
                    Unresolved(address, needed, "no managed resource of the state has it")
                )
            for target in targets:
                rows.add_edge(edge_row(address, target))
    return rows.discovery(source)
