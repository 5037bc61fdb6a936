"""Impact algorithms over a fetched `Subgraph`, without a database (STYLE rule 8).

One module per question: failure propagation and single points of failure
(`_algorithms_state`), upstream reach and root-cause candidates (`_algorithms_reach`), recovery
order (`_algorithms_order`) and cost roll-up (`_algorithms_cost`). Every function is pure and
deterministic: ties are broken by CI name, then id, never by the order the subgraph was fetched.
"""

from graph._algorithms_cost import CostBreakdown, CostShare, cost_rollup
from graph._algorithms_order import RecoveryPlan, recovery_order
from graph._algorithms_reach import Candidate, Reach, root_cause_candidates, upstream
from graph._algorithms_state import Outcome, propagate, single_points_of_failure

__all__ = [
    "Candidate",
    "CostBreakdown",
    "CostShare",
    "Outcome",
    "Reach",
    "RecoveryPlan",
    "cost_rollup",
    "propagate",
    "recovery_order",
    "root_cause_candidates",
    "single_points_of_failure",
    "upstream",
]
