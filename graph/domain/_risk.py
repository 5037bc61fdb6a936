"""The risk of a change, computed and explained, never typed in (docs/changes.md, "Risk"): a
score summed from weighted factors, each factor saying what it saw, and a level from the
score. The weights are data: `RISK_WEIGHTS`, documented line by line in docs/changes.md. Pure:
`graph/changes/_risk.py` gathers the facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType

from graph.domain._changes import ChangeType

__all__ = [
    "HISTORY_DAYS",
    "MAX_SPOF_SERVICES",
    "RISK_WEIGHTS",
    "ImpactedBusinessService",
    "PoolRedundancy",
    "Risk",
    "RiskFactor",
    "RiskFacts",
    "RiskLevel",
    "RiskWeights",
    "assess_risk",
]

HISTORY_DAYS = 180
"""How far back the targets' history counts."""
MAX_SPOF_SERVICES = 20
"""The single-point-of-failure check looks at most at this many impacted business services,
the most critical first."""
_NAMED = 5
"""How many records a factor's detail names before it says "and N more"."""


class RiskLevel(Enum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"


def _frozen(table: dict[int | str, int]) -> Mapping[int | str, int]:
    return MappingProxyType(table)


@dataclass(frozen=True)
class RiskWeights:
    """Points per factor; a change's score is their sum, its level the highest threshold the
    score reaches."""

    change_type: Mapping[ChangeType, int]
    service_down: Mapping[int | str, int]
    """Per impacted business service DOWN, by its criticality (1 most critical; "other" for
    any other value or none)."""
    service_degraded: Mapping[int | str, int]
    services_cap: int
    """At most this many points from impacted business services, DOWN and DEGRADED together."""
    single_point_of_failure: int
    """Per target whose failure alone takes an impacted business service DOWN."""
    single_point_cap: int
    pool_spare: Mapping[int, int]
    """Per target in a pool, by the members its dependent can still lose once the target is
    taken out: -1, the pool falls below its minimum; 0, it is at its minimum; 1; two or more
    spare add nothing."""
    freeze: int
    """Once, when the planned window overlaps a freeze that applies."""
    open_incident: Mapping[str, int]
    """Per open incident on an impacted service, by priority (P1, P2)."""
    open_incident_cap: int
    failed_change: int
    """Per failed or backed-out change on a target closed in the last `HISTORY_DAYS`."""
    failed_change_cap: int
    caused_incident: Mapping[str, int]
    """Per incident caused by a change on a target, opened in the last `HISTORY_DAYS`, by
    priority ("other" for P4 and P5)."""
    caused_incident_cap: int
    target: int
    """Before assessment only: per target CI."""
    target_cap: int
    thresholds: tuple[tuple[RiskLevel, int], ...] = field(
        default=((RiskLevel.VERY_HIGH, 75), (RiskLevel.HIGH, 45), (RiskLevel.MEDIUM, 20))
    )
    """The lowest score of each level above LOW."""
    group_success: tuple[tuple[float, int], ...] = ((50.0, 15), (75.0, 5))
    """By the change success score of the change's assignment group over the last
    `HISTORY_DAYS` (docs/changes.md, "Success score"): below the first bound of a pair, its
    points (the first pair that holds)."""
    group_success_min_changes: int = 3
    """A group's score counts once it has closed at least this many changes."""

    def level(self, score: int) -> RiskLevel:
        for level, lowest in self.thresholds:
            if score >= lowest:
                return level
        return RiskLevel.LOW


RISK_WEIGHTS = RiskWeights(
    change_type=MappingProxyType(
        {ChangeType.STANDARD: 0, ChangeType.NORMAL: 10, ChangeType.EMERGENCY: 25}
    ),
    service_down=_frozen({1: 20, 2: 12, 3: 6, "other": 4}),
    service_degraded=_frozen({1: 8, 2: 5, 3: 3, "other": 2}),
    services_cap=50,
    single_point_of_failure=15,
    single_point_cap=30,
    pool_spare=MappingProxyType({-1: 15, 0: 10, 1: 5}),
    freeze=30,
    open_incident=MappingProxyType({"P1": 20, "P2": 10}),
    open_incident_cap=40,
    failed_change=10,
    failed_change_cap=30,
    caused_incident=MappingProxyType({"P1": 10, "P2": 5, "P3": 2, "other": 1}),
    caused_incident_cap=20,
    target=3,
    target_cap=15,
)
"""The weights in force (docs/changes.md, "Risk weights")."""


@dataclass(frozen=True)
class ImpactedBusinessService:
    name: str
    criticality: int | None
    down: bool
    """DOWN if the targets fail; DEGRADED otherwise."""


@dataclass(frozen=True)
class PoolRedundancy:
    """A target that is a member of a pool: how many more members its dependent may lose
    once the target is out (members - 1 - needed; negative: below the minimum)."""

    target: str
    dependent: str
    group: str
    spare: int


@dataclass(frozen=True)
class RiskFacts:
    """What risk is computed from: the change's snapshot and what the graph says now."""

    change_type: ChangeType
    assessed: bool
    target_count: int
    services: Sequence[ImpactedBusinessService] = ()
    single_points: Sequence[tuple[str, str]] = ()
    """(target, business service) pairs: the target alone takes the service DOWN."""
    pools: Sequence[PoolRedundancy] = ()
    freezes: Sequence[str] = ()
    """The names of the freezes the planned window overlaps."""
    open_incidents: Sequence[tuple[str, str]] = ()
    """(number, priority) of open P1/P2 incidents on impacted services."""
    failed_changes: Sequence[tuple[str, str]] = ()
    """(number, outcome) of failed or backed-out changes on the targets."""
    caused_incidents: Sequence[tuple[str, str, str]] = ()
    """(incident number, priority, causing change number) on the targets."""
    group_success: tuple[str, float, int] | None = None
    """The change's assignment group, its success score and its closed changes counted, over
    the last `HISTORY_DAYS`; None without a group or a closed change."""


@dataclass(frozen=True)
class RiskFactor:
    name: str
    weight: int
    detail: str


@dataclass(frozen=True)
class Risk:
    level: RiskLevel
    score: int
    factors: tuple[RiskFactor, ...]


def _names(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_NAMED])
    return shown if len(items) <= _NAMED else f"{shown} and {len(items) - _NAMED} more"


def _crit(table: Mapping[int | str, int], criticality: int | None) -> int:
    return table.get(criticality if criticality is not None else "other", table["other"])


def _service_factors(facts: RiskFacts, w: RiskWeights) -> list[RiskFactor]:
    factors: list[RiskFactor] = []
    budget = w.services_cap
    for down, name, table in (
        (True, "BUSINESS_SERVICES_DOWN", w.service_down),
        (False, "BUSINESS_SERVICES_DEGRADED", w.service_degraded),
    ):
        chosen = [s for s in facts.services if s.down is down]
        if not chosen:
            continue
        points = min(budget, sum(_crit(table, s.criticality) for s in chosen))
        budget -= points
        state = "DOWN" if down else "DEGRADED"
        described = [f"{s.name} (criticality {s.criticality or '-'})" for s in chosen]
        detail = f"{len(chosen)} business service(s) {state}: {_names(described)}"
        factors.append(RiskFactor(name, points, detail))
    return factors


def _history_factors(facts: RiskFacts, w: RiskWeights) -> list[RiskFactor]:
    factors: list[RiskFactor] = []
    if facts.failed_changes:
        points = min(w.failed_change_cap, w.failed_change * len(facts.failed_changes))
        described = [f"{number} {outcome}" for number, outcome in facts.failed_changes]
        detail = (
            f"{len(facts.failed_changes)} failed or backed-out change(s) on the targets in "
            f"the last {HISTORY_DAYS} days: {_names(described)}"
        )
        factors.append(RiskFactor("FAILED_CHANGES_ON_TARGETS", points, detail))
    if facts.caused_incidents:
        table = w.caused_incident
        total = sum(table.get(p, table["other"]) for _, p, _ in facts.caused_incidents)
        described = [f"{n} ({p}, caused by {c})" for n, p, c in facts.caused_incidents]
        detail = (
            f"{len(facts.caused_incidents)} incident(s) caused by changes on the targets in "
            f"the last {HISTORY_DAYS} days: {_names(described)}"
        )
        factors.append(
            RiskFactor("INCIDENTS_CAUSED_ON_TARGETS", min(w.caused_incident_cap, total), detail)
        )
    if facts.group_success and facts.group_success[2] >= w.group_success_min_changes:
        group, score, count = facts.group_success
        points = next((p for bound, p in w.group_success if score < bound), 0)
        if points:
            detail = (
                f"{group}'s change success score is {score:g} over its {count} closed changes "
                f"of the last {HISTORY_DAYS} days"
            )
            factors.append(RiskFactor("ASSIGNMENT_GROUP_SUCCESS", points, detail))
    return factors


def _graph_factors(facts: RiskFacts, w: RiskWeights) -> list[RiskFactor]:
    factors = _service_factors(facts, w)
    if facts.single_points:
        points = min(w.single_point_cap, w.single_point_of_failure * len(facts.single_points))
        described = [f"{t} for {s}" for t, s in facts.single_points]
        detail = f"a target alone takes a business service DOWN: {_names(described)}"
        factors.append(RiskFactor("SINGLE_POINT_OF_FAILURE", points, detail))
    for pool in facts.pools:
        spare = max(pool.spare, -1)
        points = w.pool_spare.get(spare, 0)
        left = (
            "the pool falls below its minimum while it is out"
            if spare < 0
            else f"{spare} spare member(s) left while it is out"
        )
        detail = f"{pool.target} is in pool '{pool.group}' of {pool.dependent}: {left}"
        factors.append(RiskFactor("REDUNDANCY_LEFT", points, detail))
    return factors


def _live_factors(facts: RiskFacts, w: RiskWeights) -> list[RiskFactor]:
    factors: list[RiskFactor] = []
    if facts.freezes:
        detail = f"the planned window overlaps the freeze {_names(list(facts.freezes))}"
        factors.append(RiskFactor("FREEZE", w.freeze, detail))
    if facts.open_incidents:
        total = sum(w.open_incident.get(p, 0) for _, p in facts.open_incidents)
        described = [f"{number} ({p})" for number, p in facts.open_incidents]
        detail = f"open P1/P2 incident(s) on impacted services: {_names(described)}"
        factors.append(RiskFactor("OPEN_INCIDENTS", min(w.open_incident_cap, total), detail))
    return factors


def assess_risk(facts: RiskFacts, weights: RiskWeights = RISK_WEIGHTS) -> Risk:
    """The change's risk: the factors that apply, in a fixed order, their weights summed
    into the score, the level from `weights.thresholds`. Before assessment (no impact snapshot)
    only the change type and the number of targets count, and a factor NOT_ASSESSED says so."""
    kind = facts.change_type
    factors = [
        RiskFactor("CHANGE_TYPE", weights.change_type[kind], f"a {kind.value.lower()} change")
    ]
    if not facts.assessed:
        points = min(weights.target_cap, weights.target * facts.target_count)
        factors.append(RiskFactor("TARGETS", points, f"{facts.target_count} target CI(s)"))
        factors.append(
            RiskFactor(
                "NOT_ASSESSED",
                0,
                "no impact snapshot yet: risk from the change type and the targets only",
            )
        )
    else:
        factors += _graph_factors(facts, weights)
        factors += _live_factors(facts, weights)
        factors += _history_factors(facts, weights)
    score = sum(f.weight for f in factors)
    return Risk(weights.level(score), score, tuple(factors))
