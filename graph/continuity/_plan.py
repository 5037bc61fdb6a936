"""A service's continuity plan: its recovery order scheduled with each CI's restore time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from graph.cis import CIRepository
from graph.continuity._schedule import (
    RESTORE_MINUTES,
    ContinuitySchedule,
    restore_minutes,
    schedule_recovery,
)
from graph.domain import MAX_DEPTH
from graph.impact import Analyst
from graph.services import ServiceLevelRepository

__all__ = ["ContinuityPlan", "ContinuityRepository"]


@dataclass(frozen=True)
class ContinuityPlan:
    service_id: str
    schedule: ContinuitySchedule
    cycles: tuple[tuple[str, ...], ...]
    """The steps that are dependency cycles."""
    rto_seconds: int | None

    @property
    def achievable_seconds(self) -> int:
        return self.schedule.achievable_minutes * 60

    @property
    def met(self) -> bool | None:
        """Whether the achievable recovery time is within the RTO; None without an RTO."""
        if self.rto_seconds is None:
            return None
        return self.achievable_seconds <= self.rto_seconds


class ContinuityRepository:
    """Continuity plans, from the analyst's recovery order and service map, the CIs' restore
    times and the service level's RTO."""

    def __init__(
        self, analyst: Analyst, cis: CIRepository, service_levels: ServiceLevelRepository
    ) -> None:
        self._analyst = analyst
        self._cis = cis
        self._levels = service_levels

    async def plan(self, service_id: str) -> ContinuityPlan | None:
        """The service's continuity plan; None for an unknown CI. Four round trips, three of
        them concurrent (recovery order, service map, service level), then the CIs."""
        order, service_map, levels = await asyncio.gather(
            self._analyst.recovery_order(service_id),
            self._analyst.dependencies(service_id, MAX_DEPTH),
            self._levels.get_many([service_id]),
        )
        if order is None or service_map is None:
            return None
        needs: dict[str, list[str]] = {}
        for edge in service_map.edges:
            needs.setdefault(edge.source, []).append(edge.target)
        ids = [ci for step in order.steps for ci in step]
        found = await self._cis.get_many(ids)
        minutes = {
            ci_id: restore_minutes(dict(ci.attributes).get(RESTORE_MINUTES) if ci else None)
            for ci_id, ci in zip(ids, found, strict=True)
        }
        schedule = schedule_recovery(order.steps, needs, minutes)
        level = levels[0]
        rto = level.rto_seconds if level is not None else None
        return ContinuityPlan(service_id, schedule, order.cycles, rto)
