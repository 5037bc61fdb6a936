"""Incidents: types, inputs, filters, queries, mutations."""

from resolvers.incidents.history_import import IncidentImportMutation
from resolvers.incidents.mutations import IncidentMutation
from resolvers.incidents.queries import IncidentQuery
from resolvers.incidents.types import Incident

__all__ = ["Incident", "IncidentImportMutation", "IncidentMutation", "IncidentQuery"]
