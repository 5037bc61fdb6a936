"""The words and rules of the CMDB, pure: no driver, no database. CIs, relationships, impact
states, the audit trail; the ITSM records' states, priorities, SLA clocks, risk and conflicts. Who
acts, and in which roles, is `graph.access`."""

from graph.domain import _records
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
from graph.domain._history import (
    MAX_LISTED_IDS,
    AuditEvent,
    FieldChange,
    changes_as_json,
    diff,
    new_event_id,
    services_diff,
)
from graph.domain._impact import DEFAULT_DEPTH, MAX_DEPTH, State
from graph.domain._records import *  # noqa: F403  (its __all__, added below)
from graph.domain._relationships import (
    GROUP_NAME_RULE,
    MAX_GROUP,
    RelationType,
    allowed,
    check_edge,
    explain,
    group_name,
)
from graph.domain._text import (
    DEFAULT_INPUT_LIMIT,
    INPUT_LIMITS,
    input_limit,
    is_attribute_key,
    is_group_name,
    lone_surrogate_at,
)

__all__ = [
    "ATTRIBUTE_PREFIX",
    "CI",
    "DEFAULT_DEPTH",
    "DEFAULT_INPUT_LIMIT",
    "EXTERNAL_ID_SEPARATOR",
    "GROUP_NAME_RULE",
    "INPUT_LIMITS",
    "MAX_DEPTH",
    "MAX_GROUP",
    "MAX_LISTED_IDS",
    "MAX_NAME",
    "MIN_OPERATIONAL_PREFIX",
    "AuditEvent",
    "CIClass",
    "CIStatus",
    "ClassGroup",
    "Environment",
    "ExternalId",
    "FieldChange",
    "NewCI",
    "RelationType",
    "State",
    "allowed",
    "changes_as_json",
    "check_edge",
    "diff",
    "explain",
    "group_name",
    "input_limit",
    "is_attribute_key",
    "is_group_name",
    "lone_surrogate_at",
    "min_operational_property",
    "new_event_id",
    "services_diff",
    "validate_new_ci",
]
__all__ += _records.__all__
