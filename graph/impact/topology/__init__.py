"""The in-process projection of the dependency topology (numpy arrays), the questions answered
on it, and the one module that loads it from Neo4j and keeps it in step.
"""

from graph.impact.topology._arrays import CISummary, Topology
from graph.impact.topology._load import TopologyProjection
from graph.impact.topology._questions import (
    ImpactAnalysis,
    ImpactedCI,
    OutageSimulation,
    ServiceOutcome,
    ServicePage,
    ServicePosition,
    analyse_impact,
    fatal_alone,
    simulate_outage,
    single_points_of_failure,
)

__all__ = [
    "CISummary",
    "ImpactAnalysis",
    "ImpactedCI",
    "OutageSimulation",
    "ServiceOutcome",
    "ServicePage",
    "ServicePosition",
    "Topology",
    "TopologyProjection",
    "analyse_impact",
    "fatal_alone",
    "simulate_outage",
    "single_points_of_failure",
]
