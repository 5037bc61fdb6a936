"""Incidents in Neo4j (docs/concepts.md, "Incident management"): create, update, transition,
read and page them, with their computed impact and SLA clocks; major incidents, their
candidates and children; the open incidents below a service and the counts per service.

The import of historical incidents prepares each with `IncidentRepository.prepare(new, actor,
opened_at=..., transitions=...)` (or `prepare_incident` + `with_breach`, pure) and writes them
with `IncidentRepository.create_prepared(prepared, actor, operation)` (or, inside its own
transaction, `write_new_incidents`).
"""

from graph.incidents._cypher import IMPACTED_SERVICE_IDS
from graph.incidents._history_file import read_history_csv, read_history_json
from graph.incidents._history_import import DEFAULT_HISTORY_BATCH, HistoryImportResult
from graph.incidents._history_rows import HistoricalIncident, HistoryRequest, RecordedTransition
from graph.incidents._major_candidates import MajorCandidate, MajorCandidateReason
from graph.incidents._model import (
    Exclusion,
    Incident,
    IncidentPage,
    StoredImpact,
    Transition,
)
from graph.incidents._prepare import (
    ComputedImpact,
    NewIncident,
    PreparedIncident,
    PreparedTransition,
    TransitionStep,
    prepare_incident,
)
from graph.incidents._query import IncidentFilter, IncidentOrder, IncidentOrderField
from graph.incidents._repository import IncidentRepository
from graph.incidents._sla import with_breach
from graph.incidents._trace import (
    PriorityCount,
    ServiceIncidentCount,
    ServiceTrace,
    TracedIncident,
)
from graph.incidents._write import write_new_incidents

__all__ = [
    "DEFAULT_HISTORY_BATCH",
    "IMPACTED_SERVICE_IDS",
    "ComputedImpact",
    "Exclusion",
    "HistoricalIncident",
    "HistoryImportResult",
    "HistoryRequest",
    "Incident",
    "IncidentFilter",
    "IncidentOrder",
    "IncidentOrderField",
    "IncidentPage",
    "IncidentRepository",
    "MajorCandidate",
    "MajorCandidateReason",
    "NewIncident",
    "PreparedIncident",
    "PreparedTransition",
    "PriorityCount",
    "RecordedTransition",
    "ServiceIncidentCount",
    "ServiceTrace",
    "StoredImpact",
    "TracedIncident",
    "Transition",
    "TransitionStep",
    "prepare_incident",
    "read_history_csv",
    "read_history_json",
    "with_breach",
    "write_new_incidents",
]
