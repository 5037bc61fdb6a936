"""Continuity and cost queries: `continuityPlan`, `costReport`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import continuity as graph_continuity
from graph.continuity import CostGroupBy, ScheduledStep
from resolvers._context import Context
from resolvers.continuity.types import (
    ContinuityPlan,
    ContinuityStep,
    CostGroup,
    CostReport,
    ServiceCostLine,
)

__all__ = ["ContinuityQuery"]


def _step(step: ScheduledStep, cycles: set[tuple[str, ...]]) -> ContinuityStep:
    return ContinuityStep(
        ci_ids=step.ci_ids,
        cycle=step.ci_ids in cycles,
        restore_minutes=step.restore_minutes,
        start_minute=step.start_minute,
        finish_minute=step.finish_minute,
        wave=step.wave,
    )


def _plan(found: graph_continuity.ContinuityPlan) -> ContinuityPlan:
    cycles = set(found.cycles)
    steps = [_step(s, cycles) for s in found.schedule.steps]
    waves: dict[int, list[ContinuityStep]] = {}
    for step in steps:
        waves.setdefault(step.wave, []).append(step)
    critical = [_step(s, cycles) for s in found.schedule.critical_path]
    return ContinuityPlan(
        steps=steps,
        parallel_steps=[waves[w] for w in sorted(waves)],
        achievable_minutes=found.schedule.achievable_minutes,
        critical_path=critical,
        rto=found.rto_seconds,
        met=found.met,
        breaking_chain=critical if found.met is False else [],
        missing_ids=found.schedule.without_restore_time,
    )


@strawberry.type
class ContinuityQuery:
    @strawberry.field(
        description="The service's recovery order with each CI's restore time, the steps that "
        "run in parallel and the achievable recovery time against its RTO. Null for an unknown "
        "CI."
    )
    async def continuity_plan(
        self, info: Info[Context, None], service_id: strawberry.ID
    ) -> ContinuityPlan | None:
        found = await info.context.repositories.continuity.plan(str(service_id))
        return None if found is None else _plan(found)

    @strawberry.field(
        description="The monthly cost roll-up of every business service (serviceCost's rules), "
        "totalled per service, owner or support group."
    )
    async def cost_report(
        self,
        info: Info[Context, None],
        group_by: CostGroupBy = CostGroupBy.SERVICE,
    ) -> CostReport:
        found = await info.context.repositories.costs.report(group_by)
        return CostReport(
            group_by=found.group_by,
            total=found.total,
            groups=[
                CostGroup(
                    key=g.key,
                    total=g.total,
                    services=[
                        ServiceCostLine(
                            service_id=s.id, total=c.breakdown.total, truncated=c.truncated
                        )
                        for s, c in g.services
                    ],
                )
                for g in found.groups
            ],
        )
