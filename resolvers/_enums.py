"""The domain's enums, registered with Strawberry once, before any type uses them.

`resolvers/__init__.py` imports this module first, so every resolvers module can annotate with
the plain `graph` enums.
"""

from __future__ import annotations

import strawberry

from graph.domain import CIClass, CIStatus, ClassGroup, Environment, RelationType, State

__all__ = ["CIClass", "CIStatus", "ClassGroup", "Environment", "RelationType", "State"]

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
