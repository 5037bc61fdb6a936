"""docker-compose files (v2, v3 and the Compose Specification) to one import
(docs/discovery.md, "docker-compose"). Several files merge as `docker compose -f a -f b`
merges them: later files override, mappings merge, the multi-value options concatenate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.imports.discovery._hosts import host_references
from graph.imports.discovery._model import (
    EXPLICIT,
    FROM_ENVIRONMENT,
    Discovery,
    Rows,
    Unresolved,
    ci_row,
    edge_row,
)
from graph.imports.discovery._tables import image_class

__all__ = ["map_compose", "merge_compose"]

# Compose concatenates these across files; `environment` and `labels` merge by key.
_CONCATENATED = (
    "ports",
    "expose",
    "external_links",
    "dns",
    "dns_search",
    "tmpfs",
    "links",
    "volumes_from",
    "volumes",
)
_KEYED = ("environment", "labels", "depends_on")


def _as_mapping(key: str, value: Any) -> dict[str, Any]:
    """`environment`/`labels` lists (`K=V`) and the `depends_on` list as mappings."""
    if isinstance(value, Mapping):
        return dict(value)
    if key == "depends_on":
        return {str(item): {} for item in value or []}
    pairs = (str(item).split("=", 1) for item in value or [])
    return {pair[0]: pair[1] if len(pair) > 1 else None for pair in pairs}


def _merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if key in _KEYED and current is not None:
            merged[key] = {**_as_mapping(key, current), **_as_mapping(key, value)}
        elif key in _CONCATENATED and isinstance(current, list) and isinstance(value, list):
            merged[key] = current + [item for item in value if item not in current]
        elif isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(current, value)
        else:
            merged[key] = value
    return merged


def merge_compose(documents: Iterable[Any]) -> dict[str, Any]:
    """The files merged in order, as Compose merges them. Pure."""
    merged: dict[str, Any] = {}
    for document in documents:
        if isinstance(document, Mapping):
            merged = _merge(merged, document)
    return merged


def _depends_on(spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(service, how) of each explicit reference to another service."""
    found = [(name, "depends_on") for name in _as_mapping("depends_on", spec.get("depends_on"))]
    found += [(str(link).split(":", 1)[0], "links") for link in spec.get("links") or []]
    network = str(spec.get("network_mode") or "")
    if network.startswith("service:"):
        found.append((network.removeprefix("service:"), "network_mode"))
    for item in spec.get("volumes_from") or []:
        text = str(item)
        if text.startswith("container:"):
            found.append((text.removeprefix("container:").split(":", 1)[0], "volumes_from"))
        else:
            found.append((text.split(":", 1)[0], "volumes_from"))
    return found


def _host_names(services: Mapping[str, Any]) -> dict[str, str]:
    """Every name a service answers to on the project's networks, to the service."""
    names: dict[str, str] = {}
    for name, spec in services.items():
        spec = spec or {}
        for alias in (spec.get("container_name"), spec.get("hostname")):
            if alias:
                names.setdefault(str(alias).lower(), name)
        networks = spec.get("networks")
        if isinstance(networks, Mapping):
            for network in networks.values():
                for alias in (network or {}).get("aliases") or []:
                    names.setdefault(str(alias).lower(), name)
        for link in spec.get("links") or []:
            target, _, alias = str(link).partition(":")
            if alias:
                names.setdefault(alias.lower(), target)
    names.update({name.lower(): name for name in services})
    return names


def map_compose(documents: Iterable[Any], source: str) -> Discovery:
    """The import of the compose files in `documents` (parsed YAML, in `-f` order): services
    and their declared and configured dependencies. Pure: O(services x references)."""
    project = merge_compose(documents)
    services: Mapping[str, Any] = project.get("services") or {}
    rows = Rows()
    hosts = _host_names(services)
    for name, spec in services.items():
        spec = spec or {}
        attributes = {
            f"label.{k}": str(v)
            for k, v in _as_mapping("labels", spec.get("labels")).items()
            if v is not None and len(f"label.{k}") <= 64
        }
        if spec.get("image"):
            attributes["image"] = str(spec["image"])
        if project.get("name"):
            attributes["project"] = str(project["name"])
        rows.add_ci(ci_row(name, name, image_class(spec.get("image")), attributes))
    for name, spec in services.items():
        spec = spec or {}
        for target, how in _depends_on(spec):
            resolved = target if target in services else hosts.get(target.lower())
            if resolved is None:
                rows.unresolved_once(
                    Unresolved(f"service {name} {how}", target, "names no service of the files")
                )
            else:
                rows.add_edge(edge_row(name, resolved, confidence=EXPLICIT))
        for key, value in _as_mapping("environment", spec.get("environment")).items():
            if value is None:
                continue
            for host in host_references(key, str(value)):
                resolved = hosts.get(host)
                if resolved is None:
                    where = f"service {name} environment {key}"
                    rows.unresolved_once(Unresolved(where, host, "names no service of the files"))
                elif resolved != name:
                    rows.add_edge(edge_row(name, resolved, confidence=FROM_ENVIRONMENT))
    return rows.discovery(source)
