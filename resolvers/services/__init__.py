"""What business services promise: their service levels (docs/sla.md, "Targets per service")."""

from resolvers.services.mutations import ServiceMutation
from resolvers.services.types import ServiceLevelFields

__all__ = ["ServiceLevelFields", "ServiceMutation"]
