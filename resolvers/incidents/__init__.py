"""Incidents: types, inputs, filters, queries, mutations; major incidents, service traces and
counts."""

from resolvers.incidents.history_import import IncidentImportMutation
from resolvers.incidents.major import MajorIncidentMutation, MajorIncidentQuery
from resolvers.incidents.mutations import IncidentMutation
from resolvers.incidents.queries import IncidentQuery
from resolvers.incidents.trace import ServiceTraceQuery
from resolvers.incidents.types import Incident

__all__ = [
    "Incident",
    "IncidentImportMutation",
    "IncidentMutation",
    "IncidentQuery",
    "MajorIncidentMutation",
    "MajorIncidentQuery",
    "ServiceTraceQuery",
]
