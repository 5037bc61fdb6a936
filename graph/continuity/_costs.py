"""The cost report: every business service's cost roll-up, grouped by service, owner or
support group."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from graph.cis import CIFilter, CIRepository
from graph.domain import CI, CIClass, CIStatus
from graph.impact import Analyst, ServiceCost

__all__ = ["CostGroup", "CostGroupBy", "CostReport", "CostReportReader"]

_PAGE = 500


class CostGroupBy(Enum):
    SERVICE = "SERVICE"
    OWNER = "OWNER"
    SUPPORT_GROUP = "SUPPORT_GROUP"


@dataclass(frozen=True)
class CostGroup:
    key: str | None
    """The service's id, the owner or the support group; None for services without one."""
    total: Decimal
    """The sum of its services' roll-ups."""
    services: tuple[tuple[CI, ServiceCost], ...]


@dataclass(frozen=True)
class CostReport:
    group_by: CostGroupBy
    total: Decimal
    """The sum of every service's roll-up (shared CIs count once per service)."""
    groups: tuple[CostGroup, ...]
    """Largest total first, then by key (services without a key last on a tie)."""


class CostReportReader:
    def __init__(self, analyst: Analyst, cis: CIRepository) -> None:
        self._analyst = analyst
        self._cis = cis

    async def report(self, group_by: CostGroupBy) -> CostReport:
        """Every business service not retired with its cost roll-up (`Analyst.service_cost`),
        grouped. One round trip per 500 services to list them, then one per service,
        concurrent."""
        services = await self._business_services()
        costs = await asyncio.gather(*(self._analyst.service_cost(s.id) for s in services))
        groups: dict[str | None, list[tuple[CI, ServiceCost]]] = {}
        for service, cost in zip(services, costs, strict=True):
            if cost is not None:
                groups.setdefault(_key(service, group_by), []).append((service, cost))
        built = [
            CostGroup(key, sum((c.breakdown.total for _, c in members), Decimal(0)), tuple(members))
            for key, members in groups.items()
        ]
        built.sort(key=lambda g: (-g.total, g.key is None, g.key or ""))
        total = sum((g.total for g in built), Decimal(0))
        return CostReport(group_by, total, tuple(built))

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
