"""The risk and conflicts of a batch of changes, computed at read (docs/changes.md): the
changes' impact snapshots plus what the graph says now, gathered for the whole batch at once so
that a page of changes costs the same few round trips as one. The rules are
`graph/domain/_risk.py` and `graph/domain/_conflicts.py`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, LiteralString

from graph._clock import Clock
from graph._database import Database
from graph.changes._conflicts import (
    Conflict,
    ConflictFacts,
    names_wanted,
    read_conflict_facts,
)
from graph.changes._model import Change
from graph.changes._success import success_score_of
from graph.domain import (
    HISTORY_DAYS,
    MAX_SPOF_SERVICES,
    MIN_OPERATIONAL_PREFIX,
    ConflictKind,
    ImpactedBusinessService,
    PoolRedundancy,
    Risk,
    RiskFacts,
    State,
    assess_risk,
)
from graph.impact import Analyst

__all__ = ["ChangeAssessment", "ChangeAssessor"]

# The CIs the batch names, with what risk needs of services; the pools the targets are
# members of (members counted per dependent and group; `needed` null means all of them);
# failed or backed-out changes on the targets and incidents caused by changes on them.
RISK_FACTS: LiteralString = (
    """
CALL () {
    UNWIND $ids AS id
    MATCH (c:CI {id: id})
    RETURN collect(c {.id, .name, .criticality, business: c:BusinessService}) AS cis
}
CALL () {
    UNWIND $targetIds AS id
    MATCH (d:CI)-[r]->(t:CI {id: id})
    WHERE r.validTo IS NULL AND r.redundancyGroup IS NOT NULL
    WITH DISTINCT t, d, r.redundancyGroup AS grp
    RETURN collect({target: t.id, dependent: d.name, group: grp,
        members: COUNT { MATCH (d)-[m]->(x:CI)
                         WHERE m.validTo IS NULL AND m.redundancyGroup = grp
                         RETURN DISTINCT x },
        needed: d['"""
    + MIN_OPERATIONAL_PREFIX
    + """' + grp]}) AS pools
}
CALL () {
    UNWIND $targetIds AS id
    MATCH (t:CI {id: id})<-[:TARGETS]-(c:Change)
    WHERE c.outcome IN ['FAILED', 'BACKED_OUT']
      AND coalesce(c.actualEnd, c.updatedAt) >= datetime($since)
    RETURN collect({target: t.id, id: c.id, number: c.number, outcome: c.outcome}) AS failed
}
CALL () {
    UNWIND $targetIds AS id
    MATCH (t:CI {id: id})<-[:TARGETS]-(c:Change)<-[:CAUSED_BY]-(i:Incident)
    WHERE i.openedAt >= datetime($since)
    RETURN collect({target: t.id, changeId: c.id, change: c.number, number: i.number,
                    priority: i.priority}) AS caused
}
RETURN cis, pools, failed, caused
"""
)


@dataclass(frozen=True)
class ChangeAssessment:
    risk: Risk
    conflicts: tuple[Conflict, ...]


def _critical_first(change: Change, cis: dict[str, dict[str, Any]]) -> list[str]:
    services = [s.service_id for s in change.impacted if cis.get(s.service_id, {}).get("business")]
    return sorted(services, key=lambda s: (cis[s].get("criticality") or 99, cis[s]["name"]))[
        :MAX_SPOF_SERVICES
    ]


@dataclass(frozen=True)
class _Batch:
    changes: Sequence[Change]
    conflicts: ConflictFacts
    cis: dict[str, dict[str, Any]]
    pools: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    caused: list[dict[str, Any]]
    single_points: dict[str, frozenset[str]]

    def name(self, ci_id: str) -> str:
        return str(self.cis.get(ci_id, {}).get("name", ci_id))

    def names(self) -> dict[str, str]:
        return {ci_id: str(ci["name"]) for ci_id, ci in self.cis.items()}

    def facts(self, change: Change, conflicts: Sequence[Conflict]) -> RiskFacts:
        targets = set(change.target_ci_ids)
        incidents = {i.id: i for i in self.conflicts.incidents}
        services = [
            ImpactedBusinessService(
                self.name(s.service_id),
                self.cis[s.service_id].get("criticality"),
                s.state is State.DOWN,
            )
            for s in change.impacted
            if self.cis.get(s.service_id, {}).get("business")
        ]
        spof = [
            (self.name(t), self.name(s))
            for s in _critical_first(change, self.cis)
            for t in change.target_ci_ids
            if t in self.single_points.get(s, frozenset())
        ]
        pools = [
            PoolRedundancy(
                self.name(p["target"]),
                p["dependent"],
                p["group"],
                p["members"] - 1 - min(p["needed"] or p["members"], p["members"]),
            )
            for p in self.pools
            if p["target"] in targets
        ]
        failed = {
            (f["number"], f["outcome"])
            for f in self.failed
            if f["target"] in targets and f["id"] != change.id
        }
        caused = {
            (c["number"], c["priority"], c["change"])
            for c in self.caused
            if c["target"] in targets and c["changeId"] != change.id
        }
        return RiskFacts(
            change_type=change.change_type,
            assessed=change.assessed_at is not None,
            target_count=len(change.target_ci_ids),
            services=services,
            single_points=spof,
            pools=pools,
            freezes=[
                c.blackout.name
                for c in conflicts
                if c.found.kind is ConflictKind.BLACKOUT and c.blackout
            ],
            open_incidents=[
                (incidents[c.found.incident_id].number, incidents[c.found.incident_id].priority)
                for c in conflicts
                if c.found.kind is ConflictKind.OPEN_INCIDENT and c.found.incident_id
            ],
            failed_changes=sorted(failed),
            caused_incidents=sorted(caused),
        )


class ChangeAssessor:
    """The risk and conflicts of `WindowRepository`."""

    _db: Database
    _clock: Clock

    async def assess(self, changes: Sequence[Change], impact: Analyst) -> list[ChangeAssessment]:
        """The risk and conflicts of each change, in order. Two round trips for the batch,
        plus one for the single points of failure (whether each target alone takes down one
        of the `MAX_SPOF_SERVICES` most critical impacted business services: one propagation
        per distinct target of the batch), plus one per distinct assignment group for its
        change success score."""
        if not changes:
            return []
        conflicts = await read_conflict_facts(self._db, changes)
        now = self._clock.now()
        targets = sorted({t for c in changes for t in c.target_ci_ids})
        rows = await self._db.read_rows(
            "changeRisk",
            RISK_FACTS,
            ids=names_wanted(changes, conflicts),
            targetIds=targets,
            since=(now - timedelta(days=HISTORY_DAYS)).isoformat(),
        )
        row = rows[0]
        cis = {ci["id"]: ci for ci in row["cis"]}
        single_points = await _single_points(changes, cis, impact)
        since = now - timedelta(days=HISTORY_DAYS)
        groups = sorted({c.assignment_group for c in changes if c.assignment_group})
        scores = {
            g: await success_score_of(self._db, assignment_group=g, since=since) for g in groups
        }
        batch = _Batch(
            changes, conflicts, cis, row["pools"], row["failed"], row["caused"], single_points
        )
        names = batch.names()
        assessed: list[ChangeAssessment] = []
        for change in changes:
            found = conflicts.conflicts(change, names)
            facts = batch.facts(change, found)
            group = change.assignment_group
            score = scores[group] if group else None
            if group and score is not None and score.score is not None:
                facts = replace(facts, group_success=(group, score.score, score.changes))
            risk = assess_risk(facts)
            assessed.append(ChangeAssessment(risk, tuple(found)))
        return assessed


async def _single_points(
    changes: Sequence[Change], cis: dict[str, dict[str, Any]], impact: Analyst
) -> dict[str, frozenset[str]]:
    """For the most critical impacted business services of the assessed changes, the targets
    among their single points of failure (the risk factor asks of targets only: one
    propagation per target, not a search of every CI the service depends on)."""
    wanted: list[str] = []
    for change in changes:
        if change.assessed_at is None:
            continue
        for service in _critical_first(change, cis):
            if service not in wanted:
                wanted.append(service)
    wanted = sorted(wanted, key=lambda s: cis[s].get("criticality") or 99)[:MAX_SPOF_SERVICES]
    if not wanted:
        return {}
    targets = sorted({t for c in changes if c.assessed_at is not None for t in c.target_ci_ids})
    return await impact.fatal_alone(targets, wanted)
