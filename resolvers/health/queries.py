"""The CMDB health query: `cmdbHealth(staleAfterDays)`."""

from __future__ import annotations

import strawberry

from graph.cis import check_stale_after_days
from resolvers._errors import bad_request_on_refusal
from resolvers.health.types import CMDBHealth

__all__ = ["DEFAULT_STALE_AFTER_DAYS", "HealthQuery"]

DEFAULT_STALE_AFTER_DAYS = 30


@strawberry.type
class HealthQuery:
    @strawberry.field(
        description=(
            "Orphaned, stale and incomplete CIs and stale relationships, each a connection "
            "with its own count. A CI or relationship is stale when no source has confirmed it "
            "for `staleAfterDays` days (1 .. 36500, default 30)."
        )
    )
    def cmdb_health(self, stale_after_days: int = DEFAULT_STALE_AFTER_DAYS) -> CMDBHealth:
        with bad_request_on_refusal():
            check_stale_after_days(stale_after_days)
        return CMDBHealth(stale_after_days=stale_after_days)
