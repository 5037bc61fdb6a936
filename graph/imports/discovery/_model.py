"""What a discovery mapper gives: one import request, and what it could not resolve.

Mappers (one module per source) are pure functions from parsed files to an `ImportRequest`
of the existing import, which then identifies, validates, applies precedence, records history
and counts; the mapper only says what the files describe (docs/discovery.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from graph.domain import ExternalId, NewCI
from graph.imports._model import ImportCI, ImportRelationship, ImportRequest, Observation

__all__ = [
    "EXPLICIT",
    "FROM_CONFIG",
    "FROM_ENVIRONMENT",
    "Discovery",
    "PoolRule",
    "Rows",
    "Unresolved",
    "ci_row",
    "edge_row",
]

EXPLICIT = 1.0
"""Confidence of a dependency the file states (a selector, `depends_on`, `dependsOn`)."""
FROM_ENVIRONMENT = 0.7
"""Confidence of a dependency read from an environment value naming another service."""
FROM_CONFIG = 0.6
"""Confidence of a dependency read from a ConfigMap entry a workload mounts or reads."""


@dataclass(frozen=True)
class Unresolved:
    """A reference the files make that names nothing the mapper knows: reported, not created."""

    where: str
    """Who refers, e.g. `Deployment shop/checkout env PAYMENTS_URL`."""
    reference: str
    reason: str


@dataclass(frozen=True)
class Discovery:
    request: ImportRequest
    unresolved: tuple[Unresolved, ...] = ()


@dataclass(frozen=True)
class PoolRule:
    """How many members of a discovered pool (Kubernetes replicas, ServiceNow cluster members)
    must be up: one, or `min_percent` of them rounded up (the setting
    CMDB_DISCOVERY_POOL_MIN_PERCENT)."""

    min_percent: int | None = None

    def needed(self, members: int) -> int:
        if self.min_percent is None:
            return 1
        return max(1, math.ceil(members * self.min_percent / 100))


@dataclass
class Rows:
    """The rows a mapper collects, in the order it found them, without repeats."""

    cis: dict[str, ImportCI] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], ImportRelationship] = field(default_factory=dict)
    unresolved: list[Unresolved] = field(default_factory=list)

    def add_ci(self, row: ImportCI) -> None:
        assert row.external_id is not None
        self.cis.setdefault(row.external_id, row)

    def add_edge(self, row: ImportRelationship) -> None:
        """Keeps the first row of an edge, unless a later one is surer of it."""
        key = (row.from_ref or "", row.type or "", row.to_ref or "")
        if key[0] == key[2]:
            return
        known = self.edges.get(key)
        if known is None or (row.confidence or 0) > (known.confidence or 0):
            self.edges[key] = row

    def unresolved_once(self, item: Unresolved) -> None:
        if item not in self.unresolved:
            self.unresolved.append(item)

    def discovery(self, source: str, skip_invalid: bool = False) -> Discovery:
        request = ImportRequest(
            source, tuple(self.cis.values()), tuple(self.edges.values()), skip_invalid
        )
        return Discovery(request, tuple(self.unresolved))


def ci_row(
    external_id: str,
    name: str,
    ci_class: str,
    attributes: Mapping[str, str] | None = None,
    *,
    other_ids: Mapping[str, str] | None = None,
    min_operational: Mapping[str, int] | None = None,
    fields: Mapping[str, str | None] | None = None,
) -> ImportCI:
    """An import row; `fields` are `NewCI`'s optional text fields (owner, fqdn, status...)."""
    ci = NewCI(
        name,
        ci_class,
        attributes=tuple(sorted((attributes or {}).items())),
        external_ids=tuple(ExternalId(s, i) for s, i in sorted((other_ids or {}).items())),
        **{key: value for key, value in (fields or {}).items() if value is not None},  # type: ignore[arg-type]
    )
    return ImportCI(ci, external_id, tuple(sorted((min_operational or {}).items())))


def edge_row(
    from_ref: str,
    to_ref: str,
    relation: str = "DEPENDS_ON",
    confidence: float = EXPLICIT,
    redundancy_group: str | None = None,
    observation: Observation | None = None,
) -> ImportRelationship:
    return ImportRelationship(
        from_ref, to_ref, relation, redundancy_group, confidence, observation=observation
    )
