"""The health of the CMDB: orphans, stale CIs and relationships, incomplete CIs."""

from resolvers.health.queries import HealthQuery

__all__ = ["HealthQuery"]
