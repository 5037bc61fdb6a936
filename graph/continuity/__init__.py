"""Service continuity and cost reports (docs/service-levels.md): a service's continuity plan
against its RTO, and the cost roll-up of every business service grouped by service, owner or
support group. Both read through the impact analyst; neither writes."""

from graph.continuity._costs import (
    CostGroup,
    CostGroupBy,
    CostLine,
    CostReport,
    CostReportReader,
)
from graph.continuity._plan import ContinuityPlan, ContinuityRepository
from graph.continuity._schedule import (
    ContinuitySchedule,
    ScheduledStep,
    restore_minutes,
    schedule_recovery,
)

__all__ = [
    "ContinuityPlan",
    "ContinuityRepository",
    "ContinuitySchedule",
    "CostGroup",
    "CostGroupBy",
    "CostLine",
    "CostReport",
    "CostReportReader",
    "ScheduledStep",
    "restore_minutes",
    "schedule_recovery",
]
