"""The GraphQL requests of the reliability load (the product's public operations, docs/api.md)
and the subjects they ask about, found on the demo data at the start of a run. Every write
carries a marker unique to the run and the write, so the check at the end can count it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "CHANGE_SCHEDULE",
    "CI_BY_ID",
    "CI_PAGE",
    "CREATE_INCIDENT",
    "FIND_CIS",
    "IMPACT",
    "IMPORT_CIS",
    "INCIDENT_LIST",
    "RELATE",
    "SUBJECT_CIS",
    "TRANSITION_INCIDENT",
    "UNRELATE",
    "Subjects",
    "body",
    "change_schedule_window",
    "import_rows",
    "pair_rows",
]

CI_PAGE = """
query LoadCiPage { cis(first: 20) { totalCount edges { cursor node { id name class status } } } }
"""
CI_BY_ID = """
query LoadCi($id: ID!) { ci(id: $id) { id name class status criticality owner version } }
"""
IMPACT = """
query LoadImpact($id: ID!) {
  impact(ciIds: [$id], maxDepth: 10) {
    count
    impacted(first: 50) { edges { node { depth state ci { id name } } } }
    services(first: 10) { edges { node { state ci { id name } } } }
  }
}
"""
INCIDENT_LIST = """
query LoadIncidents {
  incidents(first: 20, filter: {states: [NEW, IN_PROGRESS, ON_HOLD]}) {
    totalCount edges { node { number title priority state openedAt } }
  }
}
"""
CHANGE_SCHEDULE = """
query LoadChangeSchedule($from: DateTime!, $to: DateTime!) {
  changeSchedule(from: $from, to: $to) { truncated changes { number state plannedStart } }
}
"""
FIND_CIS = """
query LoadFindCis($prefix: String!, $after: String) {
  cis(first: 100, after: $after, filter: {nameStartsWith: $prefix}) {
    pageInfo { hasNextPage endCursor } edges { node { id name } }
  }
}
"""
SUBJECT_CIS = """
query LoadSubjects {
  operational: cis(first: 100, filter: {statuses: [OPERATIONAL]}) {
    edges { node { id class } }
  }
  databases: cis(first: 5, filter: {classes: [DATABASE], statuses: [OPERATIONAL]}) {
    edges { node { id } }
  }
}
"""
CREATE_INCIDENT = """
mutation LoadCreateIncident($title: String!, $marker: String!, $ci: ID!) {
  createIncident(input: {title: $title, description: $marker, category: SERVICE_REQUEST,
      impact: 3, urgency: 3, affectedCiIds: [$ci]}) {
    incident { number state }
    errors { field message code }
  }
}
"""
TRANSITION_INCIDENT = """
mutation LoadTransitionIncident($number: String!, $to: IncidentState!, $marker: String!) {
  transitionIncident(input: {number: $number, to: $to, note: $marker, resolution: $marker}) {
    incident { number state }
    errors { field message code }
  }
}
"""
RELATE = """
mutation LoadRelate($from: ID!, $to: ID!, $source: String!) {
  relateCIs(input: {from: $from, to: $to, type: DEPENDS_ON, source: $source}) {
    created
    errors { field message code }
  }
}
"""
UNRELATE = """
mutation LoadUnrelate($from: ID!, $to: ID!) {
  unrelateCIs(input: {from: $from, to: $to, type: DEPENDS_ON}) {
    relationship { validTo }
    errors { field message code }
  }
}
"""
IMPORT_CIS = """
mutation LoadImport($source: String!, $cis: [ImportCIInput!]!,
    $relationships: [ImportRelationshipInput!]!) {
  importCIs(input: {source: $source, cis: $cis, relationships: $relationships}) {
    created updated unchanged failed relationshipsCreated refused
    errors { field message code }
  }
}
"""

IMPORT_SIZE = 3
"""CIs per import of the load (the third depends on the first two)."""


def body(query: str, **variables: Any) -> dict[str, Any]:
    return {"query": query, "variables": variables}


def change_schedule_window(now: datetime | None = None) -> dict[str, str]:
    start = (now or datetime.now(UTC)).replace(microsecond=0)
    return {"from": start.isoformat(), "to": (start + timedelta(days=28)).isoformat()}


def import_rows(marker: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The CIs (named `marker-0` ..) and relationships of one small import."""
    names = [f"{marker}-{i}" for i in range(IMPORT_SIZE)]
    cis = [{"externalId": n, "name": n, "class": "SOFTWARE", "owner": "load"} for n in names]
    edges = [{"from": names[-1], "to": n, "type": "DEPENDS_ON"} for n in names[:-1]]
    return cis, edges


def pair_rows(prefix: str, pairs: int) -> list[dict[str, Any]]:
    """The CIs whose DEPENDS_ON edge the load relates and unrelates: `prefix-<i>-a` (the
    dependent) and `prefix-<i>-b`, microservices with no edge yet."""
    return [
        {
            "externalId": f"{prefix}-{i:03d}-{end}",
            "name": f"{prefix}-{i:03d}-{end}",
            "class": "MICROSERVICE",
            "owner": "load",
        }
        for i in range(pairs)
        for end in ("a", "b")
    ]


@dataclass(frozen=True)
class Subjects:
    """What the reads ask about and the writes write to."""

    ci_ids: tuple[str, ...]
    """Operational CIs: single-CI reads, and the affected CI of new incidents."""
    impact_ci: str
    """A shared CI (a database) whose impact the change manager asks."""
    pairs: tuple[tuple[str, str], ...]
    """(dependent, dependency) CI ids of this run's pairs."""
