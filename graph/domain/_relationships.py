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
from graph.domain._text import is_group_name
from graph.errors import FieldError

__all__ = [
    "GROUP_NAME_RULE",
    "MAX_EDGE_SOURCE",
    "MAX_GROUP",
    "RULES",
    "RelationType",
    "Rule",
    "allowed",
    "check_edge",
    "explain",
    "group_name",
]

MAX_GROUP = 100
"""The longest redundancy group name, in characters."""
MAX_EDGE_SOURCE = 100
"""The longest name of who reports an edge (an import's source has the same bound)."""
GROUP_NAME_RULE = (
    "a redundancy group's name starts with a letter or a digit and uses letters, digits, '_',"
    " '.', '-'"
)


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


def group_name(raw: str | None) -> str | None:
    """A redundancy group as stored: stripped; None when blank."""
    return (raw or "").strip() or None


def check_edge(
    relation: RelationType | None,
    from_id: str | None,
    to_id: str | None,
    *,
    confidence: float | None = None,
    redundancy_group: str | None = None,
    min_operational: int | None = None,
    classes: tuple[CIClass, CIClass] | None = None,
    source: str | None = None,
) -> list[FieldError]:
    """Everything wrong with the edge `from_id -relation-> to_id`, empty when it may be
    written: a self-loop, a confidence outside 0..1, a `source` longer than `MAX_EDGE_SOURCE`,
    a redundancy group longer than `MAX_GROUP` or outside its character set, a
    `min_operational` without a group or below 1, and, when the ends' `classes` (source,
    target) are known and the values are fine, the class rule of `relation`. `relateCIs` and
    the import both call it; None stands for what is not known (yet). Pure, O(1)."""
    problems: list[FieldError] = []
    if from_id is not None and from_id == to_id:
        problems.append(FieldError("to", "a CI cannot depend on itself", "INVALID_VALUE"))
    # `not 0 <= x <= 1` also refuses NaN and the infinities.
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        problems.append(
            FieldError("confidence", "confidence must be between 0 and 1", "OUT_OF_RANGE")
        )
    if source is not None and len(source.strip()) > MAX_EDGE_SOURCE:
        problems.append(FieldError("source", f"at most {MAX_EDGE_SOURCE} characters", "TOO_LONG"))
    group = group_name(redundancy_group)
    if group is not None and len(group) > MAX_GROUP:
        problems.append(
            FieldError("redundancyGroup", f"at most {MAX_GROUP} characters", "TOO_LONG")
        )
    elif group is not None and not is_group_name(group):
        problems.append(FieldError("redundancyGroup", GROUP_NAME_RULE, "INVALID_FORMAT"))
    if min_operational is not None:
        if group is None:
            problems.append(
                FieldError("minOperational", "minOperational needs a redundancyGroup", "REQUIRED")
            )
        elif min_operational < 1:
            problems.append(
                FieldError("minOperational", "minOperational must be at least 1", "OUT_OF_RANGE")
            )
    if not problems and relation is not None and classes is not None:
        from_class, to_class = classes
        if not allowed(relation, from_class, to_class):
            problems.append(
                FieldError("type", explain(relation, from_class, to_class), "INVALID_VALUE")
            )
    return problems
