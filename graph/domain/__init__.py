"""The words and rules of the CMDB, pure: no driver, no database. CI classes, statuses and
environments, the input checks and storage codec of a CI, relationship types and their class
rules, the audit trail's values, impact states and depth bounds; the states, transitions and
priority matrix of incidents, the states of problems.
"""

from graph.domain._ci import CI, CIClass, CIStatus, ClassGroup, Environment, ExternalId
from graph.domain._ci_input import (
    ATTRIBUTE_PREFIX,
    EXTERNAL_ID_SEPARATOR,
    MAX_NAME,
    MIN_OPERATIONAL_PREFIX,
    NewCI,
    min_operational_property,
    validate_new_ci,
)
from graph.domain._history import AuditEvent, FieldChange, changes_as_json, diff, new_event_id
from graph.domain._impact import DEFAULT_DEPTH, MAX_DEPTH, State
from graph.domain._incidents import (
    INCIDENT_NUMBERS,
    OPEN_STATES,
    TRANSITIONS,
    ImpactSource,
    IncidentCategory,
    IncidentState,
    Priority,
    allowed_transitions,
    causes_outage_by_default,
    check_transition,
    check_urgency_or_impact,
    priority_of,
    record_number,
)
from graph.domain._problems import (
    PROBLEM_NUMBERS,
    PROBLEM_TRANSITIONS,
    ProblemState,
    check_problem_transition,
)
from graph.domain._relationships import (
    MAX_GROUP,
    RelationType,
    allowed,
    check_edge,
    explain,
    group_name,
)

__all__ = [
    "ATTRIBUTE_PREFIX",
    "CI",
    "DEFAULT_DEPTH",
    "EXTERNAL_ID_SEPARATOR",
    "INCIDENT_NUMBERS",
    "MAX_DEPTH",
    "MAX_GROUP",
    "MAX_NAME",
    "MIN_OPERATIONAL_PREFIX",
    "OPEN_STATES",
    "PROBLEM_NUMBERS",
    "PROBLEM_TRANSITIONS",
    "TRANSITIONS",
    "AuditEvent",
    "CIClass",
    "CIStatus",
    "ClassGroup",
    "Environment",
    "ExternalId",
    "FieldChange",
    "ImpactSource",
    "IncidentCategory",
    "IncidentState",
    "NewCI",
    "Priority",
    "ProblemState",
    "RelationType",
    "State",
    "allowed",
    "allowed_transitions",
    "causes_outage_by_default",
    "changes_as_json",
    "check_edge",
    "check_problem_transition",
    "check_transition",
    "check_urgency_or_impact",
    "diff",
    "explain",
    "group_name",
    "min_operational_property",
    "new_event_id",
    "priority_of",
    "record_number",
    "validate_new_ci",
]
