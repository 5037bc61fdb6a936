"""A fetched piece of the CI graph: what the pure impact algorithms work on (STYLE rule 8).

The traversals in `graph/impact/_traversal.py` fetch a `Subgraph` in as few round trips as they can;
the algorithms in `graph/impact/algorithms/` compute on it without a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from graph.domain import CIClass, CIStatus, RelationType

__all__ = ["Edge", "NodeInfo", "Subgraph"]


@dataclass(frozen=True)
class NodeInfo:
    id: str
    name: str
    ci_class: CIClass
    status: CIStatus = CIStatus.OPERATIONAL
    criticality: int | None = None
    monthly_cost: Decimal | None = None
    min_operational: Mapping[str, int] = field(default_factory=dict)
    """Per redundancy group of its outgoing edges: members needed; absent means all."""
    dependents_in_graph: int = 0
    """How many CIs depend on it directly in the whole graph (current edges), not only in this
    subgraph: the divisor of the cost roll-up."""


@dataclass(frozen=True)
class Edge:
    """From the dependent CI (`source`) to the CI it depends on (`target`)."""

    source: str
    target: str
    type: RelationType
    redundancy_group: str | None = None


@dataclass(frozen=True)
class Subgraph:
    nodes: Mapping[str, NodeInfo]
    edges: tuple[Edge, ...]
