"""Major-incident candidates (docs/concepts.md, "Incident management"): the open incidents a
major incident manager should look at, and why: a P1 on a business service of criticality 1,
or several open incidents whose affected CIs share a root-cause candidate (the rule:
`graph/domain/_major_incidents.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import LiteralString

from graph._database import Database
from graph.domain import (
    MAX_CANDIDATE_CIS,
    MAX_CANDIDATE_INCIDENTS,
    OPEN_STATES,
    MajorCandidateKind,
    shared_root_causes,
    time_clusters,
)
from graph.impact import Analyst
from graph.incidents._cypher import IMPACTED_SERVICE_IDS, INCIDENT_PROJECTION
from graph.incidents._model import Incident, incident_from_row

__all__ = ["MajorCandidate", "MajorCandidateReason", "MajorCandidates"]

# The candidate search's one read: the most urgent open incidents that are neither major nor
# anyone's child, each with the business services of criticality 1 it impacts as listed in
# `impactedServices` (computed and not excluded, or added by hand).
OPEN_CANDIDATES: LiteralString = (
    """
MATCH (i:Incident)
WHERE i.state IN $open AND NOT coalesce(i.major, false)
  AND NOT EXISTS { (i)-[:CHILD_OF]->(:Incident) }
WITH i ORDER BY i.priorityRank, i.openedAt, i.number LIMIT $limit
RETURN """
    + INCIDENT_PROJECTION
    + """ AS incident,
    COLLECT { """
    + IMPACTED_SERVICE_IDS
    + """
              MATCH (s:CI {id: serviceId}) WHERE s:BusinessService AND s.criticality = 1
              WITH DISTINCT s ORDER BY s.name, s.id RETURN s {.id, .name} } AS critical
ORDER BY i.priorityRank, i.openedAt, i.number"""
)

CI_NAMES = "UNWIND $ids AS id MATCH (c:CI {id: id}) RETURN c.id AS id, c.name AS name"


@dataclass(frozen=True)
class MajorCandidateReason:
    kind: MajorCandidateKind
    message: str
    service_id: str | None = None
    """The business service of criticality 1 (P1_ON_CRITICAL_SERVICE)."""
    root_cause_id: str | None = None
    """The CI that would explain them all (SHARED_ROOT_CAUSE)."""
    incidents: tuple[Incident, ...] = ()
    """The incidents sharing the root cause, by number (SHARED_ROOT_CAUSE)."""


@dataclass(frozen=True)
class MajorCandidate:
    incident: Incident
    reasons: tuple[MajorCandidateReason, ...]


class MajorCandidates:
    """The candidate search of `IncidentRepository`."""

    _db: Database
    _impact: Analyst
    correlation_window: timedelta

    async def major_candidates(self) -> list[MajorCandidate]:
        """The open incidents that are major-incident candidates, by priority then opened
        time, each with its reasons. Looks at the `MAX_CANDIDATE_INCIDENTS` most urgent open
        incidents that are neither major nor a child, and at most `MAX_CANDIDATE_CIS` of their
        affected CIs. Shared root causes group only incidents that cause an outage and opened
        at most `correlation_window` apart. One round trip for the open set, one for the
        root-cause analysis (when two or more incidents are open), one for the root causes'
        names (when some group)."""
        rows = await self._db.read_rows(
            "majorIncidentCandidates",
            OPEN_CANDIDATES,
            open=[s.value for s in OPEN_STATES],
            limit=MAX_CANDIDATE_INCIDENTS,
        )
        incidents = [incident_from_row(row["incident"]) for row in rows]
        reasons: dict[str, list[MajorCandidateReason]] = {i.id: [] for i in incidents}
        for incident, row in zip(incidents, rows, strict=True):
            if incident.priority.rank == 1:
                reasons[incident.id] += [
                    MajorCandidateReason(
                        MajorCandidateKind.P1_ON_CRITICAL_SERVICE,
                        f"a P1 impacting {s['name']}, a business service of criticality 1",
                        service_id=s["id"],
                    )
                    for s in row["critical"]
                ]
        for incident_id, reason in await self._shared(incidents):
            reasons[incident_id].append(reason)
        return [MajorCandidate(i, tuple(reasons[i.id])) for i in incidents if reasons[i.id]]

    async def _shared(
        self, incidents: Sequence[Incident]
    ) -> list[tuple[str, MajorCandidateReason]]:
        affected: dict[str, tuple[str, ...]] = {}
        cis: set[str] = set()
        # Only incidents that fail their CIs are symptoms of an outage: a service request
        # shares dependencies with everything and explains nothing.
        for incident in (i for i in incidents if i.causes_outage):
            if len(cis | set(incident.affected_ci_ids)) > MAX_CANDIDATE_CIS:
                break
            affected[incident.id] = incident.affected_ci_ids
            cis |= set(incident.affected_ci_ids)
        if len(affected) < 2:
            return []
        roots = await self._impact.root_cause_candidates(sorted(cis))
        found_roots = [(c.ci_id, c.explains, c.total_distance) for c in roots]
        opened = {i.id: i.opened_at for i in incidents if i.id in affected}
        groups = [
            group
            for cluster in time_clusters(opened, self.correlation_window)
            for group in shared_root_causes({i: affected[i] for i in cluster}, found_roots)
        ]
        if not groups:
            return []
        rows = await self._db.read_rows(
            "majorIncidentCandidates.names", CI_NAMES, ids=[g.ci_id for g in groups]
        )
        name = {row["id"]: row["name"] for row in rows}
        by_id = {i.id: i for i in incidents}
        found: list[tuple[str, MajorCandidateReason]] = []
        for group in groups:
            root = name.get(group.ci_id, group.ci_id)
            members = tuple(sorted((by_id[i] for i in group.incident_ids), key=lambda i: i.number))
            for member in members:
                others = ", ".join(m.number for m in members if m is not member)
                message = f"shares the root-cause candidate {root} with {others}"
                reason = MajorCandidateReason(
                    MajorCandidateKind.SHARED_ROOT_CAUSE,
                    message,
                    root_cause_id=group.ci_id,
                    incidents=members,
                )
                found.append((member.id, reason))
        return found
