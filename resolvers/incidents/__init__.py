"""Incidents: types, inputs, queries, mutations."""

from resolvers.incidents.mutations import IncidentMutation
from resolvers.incidents.queries import IncidentQuery

__all__ = ["IncidentMutation", "IncidentQuery"]
