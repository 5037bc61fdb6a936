"""Configuration items and their relationships in Neo4j: create, read, page, update, retire,
relate, neighbours, and the CMDB's own health (orphans, stale, incomplete CIs).
"""

from graph.cis._health import CMDBHealthRepository
from graph.cis._health_model import (
    HealthPage,
    IncompleteCI,
    RequiredAttribute,
    StaleCI,
    StaleRelationship,
    check_stale_after_days,
)
from graph.cis._neighbours import (
    Direction,
    Neighbour,
    NeighbourPage,
    NeighbourRepository,
    NeighbourRequest,
)
from graph.cis._projection import ci_from_properties
from graph.cis._query import CIFilter, CIOrder, CIOrderField, OrderDirection
from graph.cis._relationships import NewRelationship, Relationship, RelationshipRepository
from graph.cis._repository import CIRepository, PageKey

__all__ = [
    "CIFilter",
    "CIOrder",
    "CIOrderField",
    "CIRepository",
    "CMDBHealthRepository",
    "Direction",
    "HealthPage",
    "IncompleteCI",
    "Neighbour",
    "NeighbourPage",
    "NeighbourRepository",
    "NeighbourRequest",
    "NewRelationship",
    "OrderDirection",
    "PageKey",
    "Relationship",
    "RelationshipRepository",
    "RequiredAttribute",
    "StaleCI",
    "StaleRelationship",
    "check_stale_after_days",
    "ci_from_properties",
]
