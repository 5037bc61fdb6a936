"""Impact algorithms over a fetched `Subgraph`, without a database.

One module per question: root-cause candidates (`_roots`), recovery order (`_order`) and cost
roll-up (`_cost`). Every function is pure and deterministic: ties are broken by CI name, then
id, never by the order the subgraph was fetched in.
"""

from graph.impact.algorithms._cost import CostBreakdown, CostShare, cost_rollup
from graph.impact.algorithms._order import RecoveryPlan, recovery_order
from graph.impact.algorithms._roots import RootCause, root_cause_candidates

__all__ = [
    "CostBreakdown",
    "CostShare",
    "RecoveryPlan",
    "RootCause",
    "cost_rollup",
    "recovery_order",
    "root_cause_candidates",
]
