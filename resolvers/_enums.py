"""Every enum of the schema, registered with Strawberry once, before any type uses them.

`resolvers/__init__.py` imports this module first, so every resolvers module can annotate with
the plain `graph` enums. `ErrorCode` is the API's own: the codes of `graph.errors.FieldError`.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graph import cis, imports, incidents
from graph.access import Role
from graph.changes import ChangeOrderField
from graph.domain import (
    ChangeOutcome,
    ChangeState,
    ChangeType,
    CIClass,
    CIStatus,
    ClassGroup,
    ConflictKind,
    Environment,
    ImpactSource,
    IncidentCategory,
    IncidentState,
    MajorCandidateKind,
    Priority,
    ProblemState,
    RelationType,
    ReleaseState,
    ReleaseType,
    RiskLevel,
    SlaKind,
    State,
    SuccessGroupBy,
)
from graph.problems import ProblemOrderField
from graph.releases import ReleaseOrderField

__all__ = ["ErrorCode"]

strawberry.enum(CIClass, name="CIClass", description="The class of a CI.")
strawberry.enum(CIStatus, description="Where a CI is in its life; RETIRED is kept, not deleted.")
strawberry.enum(Environment)
strawberry.enum(ClassGroup, description="Service, Application, Infrastructure or Facility.")
strawberry.enum(
    RelationType,
    description="Impact-carrying edge types; edges point from the dependent CI to what it "
    "depends on.",
)
strawberry.enum(
    State,
    name="ImpactState",
    description="A CI's computed state under a failure or change: DOWN, DEGRADED or "
    "OPERATIONAL (redundancy-aware, docs/concepts.md#states).",
)
strawberry.enum(IncidentCategory, description="How the service desk classifies an incident.")
strawberry.enum(
    IncidentState,
    description="Where an incident is; docs/concepts.md#incident-management lists the allowed "
    "transitions.",
)
strawberry.enum(Priority, description="P1 (most urgent) .. P5, from impact x urgency.")
strawberry.enum(
    ImpactSource,
    description="Where an impacted service comes from: the impact engine, or an agent.",
)
strawberry.enum(ProblemState, description="Where a problem is; it moves one step at a time.")
strawberry.enum(
    MajorCandidateKind,
    description="P1_ON_CRITICAL_SERVICE: a P1 impacting a business service of criticality 1; "
    "SHARED_ROOT_CAUSE: one of several open incidents whose CIs share a root-cause candidate.",
)
strawberry.enum(ChangeType, description="STANDARD (pre-authorised), NORMAL (CAB), EMERGENCY.")
strawberry.enum(
    ChangeState,
    description="Where a change is; docs/concepts.md#change-enablement lists the transitions "
    "of each type.",
)
strawberry.enum(ChangeOutcome, description="How an implemented change went, at its review.")
strawberry.enum(ReleaseType)
strawberry.enum(
    RiskLevel, description="A change's risk level, from its score (docs/changes.md, thresholds)."
)
strawberry.enum(
    ConflictKind,
    description="What a change clashes with: another change, a freeze, a target's maintenance "
    "window, an open P1/P2 incident, its assignee's other change (docs/changes.md).",
)
strawberry.enum(ReleaseState, description="Where a release is; it moves one step at a time.")
strawberry.enum(SlaKind, description="RESPONSE: until work starts; RESOLUTION: until resolved.")
strawberry.enum(
    incidents.IncidentOrderField, description="What `incidents` can be ordered by; ties by number."
)
strawberry.enum(ChangeOrderField, description="What `changes` can be ordered by; ties by number.")
strawberry.enum(
    ProblemOrderField, description="What `problems` can be ordered by; opened time ties by number."
)
strawberry.enum(ReleaseOrderField, description="What `releases` can be ordered by.")
strawberry.enum(
    SuccessGroupBy,
    description="What `changeSuccessScores` groups closed changes by; CI counts a change "
    "under each of its targets.",
)
strawberry.enum(cis.CIOrderField, description="What `cis` can be ordered by; ties go by id.")
strawberry.enum(cis.OrderDirection)
strawberry.enum(cis.RequiredAttribute, description="An attribute every production CI needs.")
strawberry.enum(imports.ImportSection, description="The part of an import a row belongs to.")
strawberry.enum(Role, description="A role of docs/security.md: who may do what.")


@strawberry.enum(description="Why a mutation's input was refused.")
class ErrorCode(Enum):
    REQUIRED = "REQUIRED"
    INVALID_VALUE = "INVALID_VALUE"
    INVALID_FORMAT = "INVALID_FORMAT"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TOO_LONG = "TOO_LONG"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
