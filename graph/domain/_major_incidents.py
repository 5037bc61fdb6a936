"""The rules of major incidents (docs/concepts.md, "Incident management"): what makes an open
incident a major-incident candidate, and what promoting one and grouping child incidents under
it must respect. Pure: the repository that applies them is `graph/incidents/_major.py`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from graph.domain._incidents import OPEN_STATES, IncidentState
from graph.errors import Conflict, FieldError, InvalidInput

__all__ = [
    "DEFAULT_CORRELATION_WINDOW",
    "MAX_CANDIDATE_CIS",
    "MAX_CANDIDATE_INCIDENTS",
    "MAX_CHILDREN_PER_LINK",
    "MajorCandidateKind",
    "SharedRootCause",
    "check_child",
    "check_parent",
    "check_promotion",
    "shared_root_causes",
    "time_clusters",
]

MAX_CANDIDATE_INCIDENTS = 500
"""The most urgent open incidents (priority, then oldest) the candidate search looks at."""
MAX_CANDIDATE_CIS = 1000
"""The most affected CIs whose shared dependencies the candidate search looks for."""
MAX_CHILDREN_PER_LINK = 100
"""The most child incidents one `linkChildIncidents` names."""
DEFAULT_CORRELATION_WINDOW = timedelta(hours=4)
"""How close in time incidents sharing a root cause must open to be one outage."""


class MajorCandidateKind(Enum):
    """Why an open incident is a major-incident candidate."""

    P1_ON_CRITICAL_SERVICE = "P1_ON_CRITICAL_SERVICE"
    """A P1 impacting a business service of criticality 1."""
    SHARED_ROOT_CAUSE = "SHARED_ROOT_CAUSE"
    """One of several open incidents whose affected CIs share a root-cause candidate."""


@dataclass(frozen=True)
class SharedRootCause:
    """A CI that would explain the affected CIs of two or more open incidents."""

    ci_id: str
    incident_ids: tuple[str, ...]
    """The incidents it groups, sorted by id."""


def shared_root_causes(
    affected: Mapping[str, Collection[str]],
    candidates: Sequence[tuple[str, Collection[str], int]],
) -> list[SharedRootCause]:
    """The groups of incidents that share a root-cause candidate, broadest first.

    `affected` maps each open incident to its affected CIs; `candidates` are the root-cause
    candidates of all those CIs as (CI, the given CIs it explains, total distance), the impact
    analysis's answer. A candidate groups every incident one of whose affected CIs it explains;
    an affected CI of two incidents is itself a candidate (distance 0). Only groups of two or
    more incidents count. Ranked by incidents grouped (more first), then total distance (nearer
    first), then CI id; a candidate whose incidents an earlier one groups already is left out,
    so that a host and the rack under it do not both group the same two VMs' incidents.

    O(c·n) for c candidates over n incidents, plus sorting."""
    incidents_of: dict[str, set[str]] = {}
    for incident, cis in affected.items():
        for ci in cis:
            incidents_of.setdefault(ci, set()).add(incident)
    scored: dict[str, tuple[frozenset[str], int]] = {}
    for ci, explains, distance in candidates:
        grouped = frozenset(i for explained in explains for i in incidents_of.get(explained, ()))
        scored[ci] = (grouped, distance)
    for ci, incidents in incidents_of.items():
        if ci not in scored or len(scored[ci][0]) < len(incidents):
            scored[ci] = (frozenset(incidents), 0)
    ranked = sorted(
        ((ci, grouped, distance) for ci, (grouped, distance) in scored.items() if len(grouped) > 1),
        key=lambda item: (-len(item[1]), item[2], item[0]),
    )
    kept: list[SharedRootCause] = []
    covered: list[frozenset[str]] = []
    for ci, grouped, _ in ranked:
        if any(grouped <= earlier for earlier in covered):
            continue
        covered.append(grouped)
        kept.append(SharedRootCause(ci, tuple(sorted(grouped))))
    return kept


def time_clusters(opened: Mapping[str, datetime], window: timedelta) -> list[tuple[str, ...]]:
    """The incidents of `opened` (their opening instants) in clusters of those that opened
    close together: each at most `window` after the one before it, in opening order. Shared
    root causes are looked for within a cluster only, so that incidents days apart that merely
    share a dependency (a storage array under everything) are not one outage. Clusters of one
    are left out. O(n log n)."""
    ordered = sorted(opened, key=lambda i: (opened[i], i))
    clusters: list[list[str]] = []
    for previous, incident in zip([None, *ordered], ordered, strict=False):
        if previous is None or opened[incident] - opened[previous] > window:
            clusters.append([])
        clusters[-1].append(incident)
    return [tuple(c) for c in clusters if len(c) > 1]


def _is_open(state: IncidentState) -> bool:
    return state in OPEN_STATES


_OPEN_NAMES = ", ".join(s.value for s in OPEN_STATES)


def check_promotion(
    number: str, state: IncidentState, major: bool, parent: tuple[str, bool] | None
) -> None:
    """Raises `Conflict` (field `number`) unless the incident can be promoted: it is open, not
    major already, and not the child of a major incident (`parent`: its number and whether it
    is major)."""
    if not _is_open(state):
        raise Conflict(
            f"{number} is {state.value}: only an open incident ({_OPEN_NAMES}) can be promoted",
            field="number",
        )
    if major:
        raise Conflict(f"{number} is a major incident already", field="number")
    if parent is not None:
        raise Conflict(
            f"{number} is a child of {parent[0]}; unlink it from {parent[0]} before promoting it",
            field="number",
        )


def check_parent(number: str, state: IncidentState, major: bool) -> None:
    """Raises `Conflict` (field `number`) unless the incident can take children: major and
    open."""
    if not major:
        raise Conflict(
            f"{number} is not a major incident: promote it before linking children",
            field="number",
        )
    if not _is_open(state):
        raise Conflict(
            f"{number} is {state.value}: only an open major incident takes children",
            field="number",
        )


def check_child(
    field: str,
    number: str,
    state: IncidentState,
    major: bool,
    parent_number: str | None,
    new_parent: str,
) -> None:
    """Raises `Conflict` (on `field`) unless the incident can become a child of `new_parent`:
    open, not major itself, and no other incident's child (its own parent's is fine: linking
    again changes nothing); `InvalidInput` when it is `new_parent`."""
    if number == new_parent:
        raise InvalidInput(
            [FieldError(field, f"{number} cannot be its own child", "INVALID_VALUE")]
        )
    if not _is_open(state):
        raise Conflict(
            f"{number} is {state.value}: only an open incident becomes a child", field=field
        )
    if major:
        raise Conflict(
            f"{number} is a major incident itself: a major incident is nobody's child",
            field=field,
        )
    if parent_number is not None and parent_number != new_parent:
        raise Conflict(
            f"{number} is already a child of {parent_number}; unlink it from {parent_number} first",
            field=field,
        )
