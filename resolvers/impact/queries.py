"""Impact queries: `impact`, `dependencies`, `paths`, `simulateOutage`,
`singlePointsOfFailure`, `rootCauseCandidates`, `recoveryOrder`, `serviceCost`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from graph.domain import DEFAULT_DEPTH, RelationType
from resolvers._context import Context
from resolvers._errors import BadRequest, bad_request_on_refusal
from resolvers.cis.lookahead import selects_only_summary_below
from resolvers.cis.types import ConfigurationItem
from resolvers.impact.reports import ImpactReport, OutageSimulation
from resolvers.impact.types import (
    CostShare,
    DependencyEdge,
    DependencyNode,
    DependencyPath,
    RecoveryPlan,
    RecoveryStep,
    RootCauseCandidate,
    ServiceCost,
    ServiceMap,
    cis_or_summaries,
)

__all__ = ["ImpactQuery"]

# The analyst's reasons name their argument already ("maxDepth must be between 1 and 50"), so
# bad requests show them without the field prefix (`fields=False`).


@strawberry.type
class ImpactQuery:
    @strawberry.field(
        description="Every CI that transitively depends on the given CIs (a change's targets, "
        "an incident's CIs), with depth, path and redundancy-aware state."
    )
    async def impact(
        self,
        info: Info[Context, None],
        ci_ids: list[strawberry.ID],
        max_depth: int = DEFAULT_DEPTH,
        relation_types: list[RelationType] | None = None,
        include_retired: bool = False,
        as_of: datetime | None = None,
    ) -> ImpactReport:
        with bad_request_on_refusal(fields=False):
            analysis = await info.context.repositories.impact.impact(
                [str(i) for i in ci_ids], max_depth, relation_types, include_retired, as_of
            )
        return ImpactReport(
            analysis=analysis,
            count=analysis.count,
            truncated=analysis.truncated,
            max_depth=analysis.max_depth,
            unknown_ci_ids=[strawberry.ID(i) for i in analysis.unknown],
        )

    @strawberry.field(description="What a CI needs: its service map downstream, to a depth.")
    async def dependencies(
        self,
        info: Info[Context, None],
        ci_id: strawberry.ID,
        max_depth: int = DEFAULT_DEPTH,
        include_retired: bool = False,
        as_of: datetime | None = None,
    ) -> ServiceMap | None:
        with bad_request_on_refusal(fields=False):
            found = await info.context.repositories.impact.dependencies(
                str(ci_id), max_depth, include_retired, as_of
            )
        if found is None:
            return None
        return ServiceMap(
            root_id=strawberry.ID(found.root),
            nodes=[
                DependencyNode(ci_id=ci, depth=depth)
                for ci, depth in sorted(found.depth.items(), key=lambda item: item[1])
            ],
            edges=[
                DependencyEdge(
                    from_id=strawberry.ID(e.source),
                    to_id=strawberry.ID(e.target),
                    type=e.type,
                    redundancy_group=e.redundancy_group,
                )
                for e in found.edges
            ],
            truncated=found.truncated,
        )

    @strawberry.field(
        description="The shortest dependency paths from one CI down to another: why the first "
        "is impacted by the second."
    )
    async def paths(
        self,
        info: Info[Context, None],
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_depth: int = DEFAULT_DEPTH,
    ) -> list[DependencyPath]:
        with bad_request_on_refusal(fields=False):
            found = await info.context.repositories.impact.paths(
                str(from_id), str(to_id), max_depth
            )
        return [
            DependencyPath(ci_ids=cis, types=list(types), length=len(types)) for cis, types in found
        ]

    @strawberry.field(
        description="What-if: the state of the services when these CIs fail (by default only "
        "those it changes; every service with includeOperational)."
    )
    async def simulate_outage(
        self,
        info: Info[Context, None],
        ci_ids: list[strawberry.ID],
        include_operational: bool = False,
    ) -> OutageSimulation:
        with bad_request_on_refusal(fields=False):
            found = await info.context.repositories.impact.simulate_outage([str(i) for i in ci_ids])
        return OutageSimulation(
            simulation=found,
            include_operational=include_operational,
            unknown_ci_ids=[strawberry.ID(i) for i in found.unknown],
        )

    @strawberry.field(
        description="Every CI whose failure alone takes the service DOWN (redundancy-aware); "
        "null for an unknown CI."
    )
    async def single_points_of_failure(
        self, info: Info[Context, None], service_id: strawberry.ID
    ) -> list[ConfigurationItem] | None:
        found = await info.context.repositories.impact.single_points_of_failure(str(service_id))
        if found is None:
            return None
        whole = not selects_only_summary_below(info.selected_fields, ())
        return [ci for ci in await cis_or_summaries(info, found, whole) if ci is not None]

    @strawberry.field(
        description="Shared dependencies of the given CIs and of the affected CIs of the given "
        "open incidents, ranked by how many of those CIs each would explain."
    )
    async def root_cause_candidates(
        self,
        info: Info[Context, None],
        ci_ids: list[strawberry.ID] | None = None,
        incident_numbers: list[str] | None = None,
    ) -> list[RootCauseCandidate]:
        given = [str(i) for i in ci_ids or ()]
        if not given and not incident_numbers:
            raise BadRequest("give ciIds, incidentNumbers or both")
        with bad_request_on_refusal(fields=False):
            if incident_numbers:
                incidents = info.context.repositories.incidents
                given += await incidents.open_affected_cis(incident_numbers)
            found = await info.context.repositories.impact.root_cause_candidates(given)
        return [
            RootCauseCandidate(
                ci_id=c.ci_id,
                explains_ids=c.explains,
                count=c.count,
                total_distance=c.total_distance,
            )
            for c in found
        ]

    @strawberry.field(
        description="The service's dependencies in an order that brings dependencies up before "
        "dependents; cycles are reported as groups. Null for an unknown CI."
    )
    async def recovery_order(
        self, info: Info[Context, None], service_id: strawberry.ID
    ) -> RecoveryPlan | None:
        plan = await info.context.repositories.impact.recovery_order(str(service_id))
        if plan is None:
            return None
        cycles = set(plan.cycles)
        return RecoveryPlan(
            steps=[RecoveryStep(ci_ids=step, cycle=step in cycles) for step in plan.steps],
            cycles=[RecoveryStep(ci_ids=cycle, cycle=True) for cycle in plan.cycles],
        )

    @strawberry.field(
        description="The service's monthly cost: its own plus an even share of each shared "
        "dependency's, recursively (docs/concepts.md#impact-questions). Null for an unknown CI."
    )
    async def service_cost(
        self, info: Info[Context, None], service_id: strawberry.ID
    ) -> ServiceCost | None:
        found = await info.context.repositories.impact.service_cost(str(service_id))
        if found is None:
            return None
        return ServiceCost(
            total=found.breakdown.total,
            items=[
                CostShare(
                    ci_id=item.ci_id,
                    own=item.own,
                    share=float(item.share_fraction),
                    allocated=item.allocated,
                )
                for item in found.breakdown.items
            ],
            truncated=found.truncated,
        )
