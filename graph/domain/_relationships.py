"""Which class may point to which, with each relationship type, as data (docs/concepts.md,
"Relationships").

Edges point from the dependent CI to what it depends on. The table is deliberately permissive
within sense (real CMDBs are messy) and refuses what cannot be true: a Location runs on nothing,
nothing is hosted on a business service, only services are provided by something.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from graph.domain._ci import CIClass, ClassGroup

__all__ = ["RULES", "RelationType", "Rule", "allowed", "explain"]


class RelationType(Enum):
    """Impact-carrying edges: from the dependent CI to the CI it depends on
    (docs/concepts.md, "Relationships")."""

    DEPENDS_ON = "DEPENDS_ON"
    RUNS_ON = "RUNS_ON"
    HOSTED_ON = "HOSTED_ON"
    CONNECTED_THROUGH = "CONNECTED_THROUGH"
    PROVIDED_BY = "PROVIDED_BY"


_SERVICE = frozenset(c for c in CIClass if c.group is ClassGroup.SERVICE)
_APPLICATION = frozenset(c for c in CIClass if c.group is ClassGroup.APPLICATION)
_INFRASTRUCTURE = frozenset(c for c in CIClass if c.group is ClassGroup.INFRASTRUCTURE)
_ALL = frozenset(CIClass)
_PLATFORMS = frozenset(
    {
        CIClass.SOFTWARE,
        CIClass.SERVER,
        CIClass.VIRTUAL_MACHINE,
        CIClass.CONTAINER,
        CIClass.CLUSTER,
        CIClass.CLOUD_RESOURCE,
    }
)
_HOSTS = frozenset(
    {
        CIClass.SERVER,
        CIClass.VIRTUAL_MACHINE,
        CIClass.CLUSTER,
        CIClass.CLOUD_RESOURCE,
        CIClass.LOCATION,
    }
)


@dataclass(frozen=True)
class Rule:
    sources: frozenset[CIClass]
    targets: frozenset[CIClass]
    meaning: str


RULES: dict[RelationType, Rule] = {
    RelationType.DEPENDS_ON: Rule(
        sources=_ALL - {CIClass.LOCATION},
        targets=_ALL - {CIClass.LOCATION, CIClass.BUSINESS_SERVICE},
        meaning="a functional dependency between services, applications or infrastructure",
    ),
    RelationType.RUNS_ON: Rule(
        sources=_APPLICATION,
        targets=_PLATFORMS,
        meaning="software (an application-class CI) running on a platform",
    ),
    RelationType.HOSTED_ON: Rule(
        sources=_INFRASTRUCTURE | {CIClass.LOAD_BALANCER, CIClass.LOCATION},
        targets=_HOSTS,
        meaning="infrastructure hosted on a server, cluster, cloud resource or location",
    ),
    RelationType.CONNECTED_THROUGH: Rule(
        sources=_INFRASTRUCTURE | {CIClass.LOAD_BALANCER},
        targets=frozenset({CIClass.NETWORK_DEVICE, CIClass.LOAD_BALANCER}),
        meaning="a network path through a network device or load balancer",
    ),
    RelationType.PROVIDED_BY: Rule(
        sources=_SERVICE,
        targets=(_SERVICE | _APPLICATION) - {CIClass.BUSINESS_SERVICE},
        meaning="a service realised by a technical service or an application",
    ),
}

# A location can only sit in another location.
_LOCATION_TARGETS = frozenset({CIClass.LOCATION})


def allowed(relation: RelationType, source: CIClass, target: CIClass) -> bool:
    rule = RULES[relation]
    if source is CIClass.LOCATION and relation is RelationType.HOSTED_ON:
        return target in _LOCATION_TARGETS
    return source in rule.sources and target in rule.targets


def explain(relation: RelationType, source: CIClass, target: CIClass) -> str:
    """Why `source -relation-> target` is refused, in words a configuration manager reads."""
    rule = RULES[relation]
    if source not in rule.sources:
        return f"a {source.name} cannot be the source of {relation.name} ({rule.meaning})"
    targets = rule.targets
    if source is CIClass.LOCATION and relation is RelationType.HOSTED_ON:
        targets = _LOCATION_TARGETS
    return (
        f"a {source.name} cannot be {relation.name} a {target.name} ({rule.meaning}); "
        f"allowed targets: {', '.join(sorted(c.name for c in targets))}"
    )
