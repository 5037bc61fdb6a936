"""Availability of business services from incident history (docs/service-levels.md,
"Availability"): `serviceAvailability`, `serviceLevelReport`."""

from resolvers.availability.queries import AvailabilityQuery

__all__ = ["AvailabilityQuery"]
