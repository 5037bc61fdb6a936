"""Continuity and cost queries: `continuityPlan`, `costReport`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph import continuity as graph_continuity
from graph.continuity import CostGroupBy, ScheduledStep
from resolvers._context import Context
from resolvers._errors import BadRequest, bad_request_on_refusal
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
        "totalled per service, owner or support group; with a period (`from` and `to`, at most "
        "366 days), each service's downtime over it and the cost of that downtime where its "
        "service level states a cost per hour of outage."
    )
    async def cost_report(
        self,
        info: Info[Context, None],
        group_by: CostGroupBy = CostGroupBy.SERVICE,
        start: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        end: Annotated[datetime | None, strawberry.argument(name="to")] = None,
    ) -> CostReport:
        if (start is None) != (end is None):
            raise BadRequest("costReport takes both from and to, or neither")
        period = (start, end) if start is not None and end is not None else None
        with bad_request_on_refusal():
            found = await info.context.repositories.costs.report(group_by, period)
        return CostReport(
            group_by=found.group_by,
            total=found.total,
            start=found.start,
            end=found.end,
            downtime_cost=found.downtime_cost,
            groups=[
                CostGroup(
                    key=g.key,
                    total=g.total,
                    downtime_cost=g.downtime_cost,
                    services=[_line(line) for line in g.services],
                )
                for g in found.groups
            ],
        )


def _line(line: graph_continuity.CostLine) -> ServiceCostLine:
    measured = line.downtime
    return ServiceCostLine(
        service_id=line.service.id,
        total=line.cost.breakdown.total,
        truncated=line.cost.truncated,
        downtime_seconds=measured.availability.downtime_seconds if measured else None,
        outage_cost_per_hour=(
            measured.level.outage_cost_per_hour if measured and measured.level else None
        ),
        downtime_cost=line.downtime_cost,
    )
