"""The writes the benchmark's scenarios send through the product's API (docs/api.md), and the
bodies that carry them: each function returns one GraphQL request body."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CI_VERSION",
    "create_change",
    "create_incident",
    "import_cis",
    "relate",
    "transition_change",
    "unrelate",
    "update_description",
]

CI_VERSION = """
query CiVersion($id: ID!) { ci(id: $id) { id version } }
"""

UPDATE_CI = """
mutation UpdateDescription($id: ID!, $version: Int!, $text: String!) {
  updateCI(input: {id: $id, expectedVersion: $version, description: $text}) {
    ci { id version }
    errors { field message code }
  }
}
"""

RELATE = """
mutation Relate($from: ID!, $to: ID!) {
  relateCIs(input: {from: $from, to: $to, type: DEPENDS_ON, source: "bench"}) {
    created
    errors { field message code }
  }
}
"""

UNRELATE = """
mutation Unrelate($from: ID!, $to: ID!) {
  unrelateCIs(input: {from: $from, to: $to, type: DEPENDS_ON}) {
    relationship { validTo }
    errors { field message code }
  }
}
"""

CREATE_INCIDENT = """
mutation OpenIncident($id: ID!, $title: String!) {
  createIncident(input: {
    title: $title, category: HARDWARE, impact: 3, urgency: 3, affectedCiIds: [$id]
  }) {
    incident { number priority impactedServices { state service { id } } }
    errors { field message code }
  }
}
"""

IMPORT_CIS = """
mutation ImportAgents($cis: [ImportCIInput!]!, $relationships: [ImportRelationshipInput!]!) {
  importCIs(input: {source: "bench-mixed", cis: $cis, relationships: $relationships}) {
    created updated unchanged failed relationshipsCreated relationshipsFailed refused
    errors { field message code }
    rowErrors { section index field message }
  }
}
"""

CREATE_CHANGE = """
mutation CreateChange($id: ID!, $start: DateTime!, $end: DateTime!) {
  createChange(input: {
    title: "bench: upgrade the database engine", type: NORMAL, targetCiIds: [$id],
    plannedStart: $start, plannedEnd: $end, assignee: "bench-dba",
    implementationPlan: "rolling upgrade", backoutPlan: "restore the snapshot",
    testPlan: "smoke tests of the dependent services"
  }) {
    change { number state }
    errors { field message code }
  }
}
"""

TRANSITION_CHANGE = """
mutation AssessChange($number: String!) {
  transitionChange(input: {number: $number, to: ASSESS, note: "bench: assess"}) {
    change { number state assessedAt impactedCiCount }
    errors { field message code }
  }
}
"""


def _body(query: str, **variables: Any) -> dict[str, Any]:
    return {"query": query, "variables": variables}


def update_description(ci_id: str, version: int, text: str) -> dict[str, Any]:
    return _body(UPDATE_CI, id=ci_id, version=version, text=text)


def relate(source: str, target: str) -> dict[str, Any]:
    """`source -DEPENDS_ON-> target`."""
    return _body(RELATE, **{"from": source, "to": target})


def unrelate(source: str, target: str) -> dict[str, Any]:
    return _body(UNRELATE, **{"from": source, "to": target})


def create_incident(ci_id: str, title: str) -> dict[str, Any]:
    return _body(CREATE_INCIDENT, id=ci_id, title=title)


def import_cis(batch: str, rows: int, depends_on: str) -> dict[str, Any]:
    """`rows` new agents (SOFTWARE) of the source `bench-mixed`, each depending on the CI
    `depends_on` (an application): CIs and relationships, as a discovery tool reports them."""
    names = [f"mixed-{batch}-{i:04d}" for i in range(rows)]
    cis = [{"externalId": n, "name": n, "class": "SOFTWARE", "owner": "bench-mixed"} for n in names]
    edges = [{"from": n, "to": depends_on, "type": "DEPENDS_ON"} for n in names]
    return _body(IMPORT_CIS, cis=cis, relationships=edges)


def create_change(ci_id: str, start: str, end: str) -> dict[str, Any]:
    return _body(CREATE_CHANGE, id=ci_id, start=start, end=end)


def transition_change(number: str) -> dict[str, Any]:
    return _body(TRANSITION_CHANGE, number=number)
