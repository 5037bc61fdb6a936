"""Every question of impact analysis, and nothing else: the analyst that validates a question,
picks the in-process topology projection or a traversal of Neo4j, and runs the algorithm.
"""

from graph.impact._analyst import Analyst, DependencyMap, ServiceCost
from graph.impact._subgraph import Edge, NodeInfo, Subgraph
from graph.impact._traversal import ImpactRepository
from graph.impact.algorithms import CostBreakdown, CostShare, RecoveryPlan, RootCause
from graph.impact.topology import (
    CISummary,
    ImpactAnalysis,
    ImpactedCI,
    OutageSimulation,
    ServiceOutcome,
    ServicePage,
    ServicePosition,
    TopologyProjection,
)

__all__ = [
    "Analyst",
    "CISummary",
    "CostBreakdown",
    "CostShare",
    "DependencyMap",
    "Edge",
    "ImpactAnalysis",
    "ImpactRepository",
    "ImpactedCI",
    "NodeInfo",
    "OutageSimulation",
    "RecoveryPlan",
    "RootCause",
    "ServiceCost",
    "ServiceOutcome",
    "ServicePage",
    "ServicePosition",
    "Subgraph",
    "TopologyProjection",
]
