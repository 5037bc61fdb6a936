"""The cost report: every business service's cost roll-up, grouped by service, owner or
support group, with the cost of downtime of a period where a service states its cost per hour
of outage."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from graph.availability import AvailabilityRepository, ServiceAvailability
from graph.cis import CIFilter, CIRepository
from graph.domain import CI, CIClass, CIStatus
from graph.impact import Analyst, ServiceCost

__all__ = ["CostGroup", "CostGroupBy", "CostLine", "CostReport", "CostReportReader"]

_PAGE = 500


class CostGroupBy(Enum):
    SERVICE = "SERVICE"
    OWNER = "OWNER"
    SUPPORT_GROUP = "SUPPORT_GROUP"


@dataclass(frozen=True)
class CostLine:
    """One business service: its cost roll-up, and its downtime over the report's period."""

    service: CI
    cost: ServiceCost
    downtime: ServiceAvailability | None = None
    """None when the report has no period."""

    @property
    def downtime_cost(self) -> Decimal | None:
        return self.downtime.downtime_cost if self.downtime is not None else None


@dataclass(frozen=True)
class CostGroup:
    key: str | None
    """The service's id, the owner or the support group; None for services without one."""
    total: Decimal
    """The sum of its services' roll-ups."""
    services: tuple[CostLine, ...]

    @property
    def downtime_cost(self) -> Decimal | None:
        """The sum of its services' costs of downtime that are stated; None when none is."""
        return _sum_stated(line.downtime_cost for line in self.services)


@dataclass(frozen=True)
class CostReport:
    group_by: CostGroupBy
    total: Decimal
    """The sum of every service's roll-up (shared CIs count once per service)."""
    groups: tuple[CostGroup, ...]
    """Largest total first, then by key (services without a key last on a tie)."""
    start: datetime | None = None
    end: datetime | None = None
    """The period of the downtime; None for a report of the roll-ups alone."""

    @property
    def downtime_cost(self) -> Decimal | None:
        return _sum_stated(group.downtime_cost for group in self.groups)


def _sum_stated(amounts: Iterable[Decimal | None]) -> Decimal | None:
    stated = [amount for amount in amounts if amount is not None]
    return sum(stated, Decimal(0)) if stated else None


class CostReportReader:
    def __init__(
        self, analyst: Analyst, cis: CIRepository, availability: AvailabilityRepository
    ) -> None:
        self._analyst = analyst
        self._cis = cis
        self._availability = availability

    async def report(
        self, group_by: CostGroupBy, period: tuple[datetime, datetime] | None = None
    ) -> CostReport:
        """Every business service not retired with its cost roll-up (`Analyst.service_cost`),
        grouped; with a `period`, each with its downtime and cost of downtime over it (raises
        InvalidInput for a bad period). One round trip per 500 services to list them, then one
        per service, concurrent, and the availability report's four for a period."""
        services = await self._business_services()
        costs = await asyncio.gather(*(self._analyst.service_cost(s.id) for s in services))
        downtime: dict[str, ServiceAvailability] = {}
        if period is not None:
            measured = await self._availability.report(*period)
            downtime = {m.service_id: m for m in measured}
        groups: dict[str | None, list[CostLine]] = {}
        for service, cost in zip(services, costs, strict=True):
            if cost is not None:
                line = CostLine(service, cost, downtime.get(service.id))
                groups.setdefault(_key(service, group_by), []).append(line)
        built = [
            CostGroup(
                key, sum((m.cost.breakdown.total for m in members), Decimal(0)), tuple(members)
            )
            for key, members in groups.items()
        ]
        built.sort(key=lambda g: (-g.total, g.key is None, g.key or ""))
        total = sum((g.total for g in built), Decimal(0))
        start, end = period if period is not None else (None, None)
        return CostReport(group_by, total, tuple(built), start, end)

    async def _business_services(self) -> list[CI]:
        found: list[CI] = []
        after = None
        while True:
            page = await self._cis.page(_PAGE, after, CIFilter(classes=(CIClass.BUSINESS_SERVICE,)))
            found += [ci for ci in page.items if ci.status is not CIStatus.RETIRED]
            if not page.has_next:
                return found
            after = page.positions[-1]


def _key(service: CI, group_by: CostGroupBy) -> str | None:
    if group_by is CostGroupBy.OWNER:
        return service.owner
    if group_by is CostGroupBy.SUPPORT_GROUP:
        return service.support_group
    return service.id
