"""Availability of business services, computed exactly from incident history
(docs/service-levels.md, "Availability")."""

from graph.availability._repository import AvailabilityRepository, ServiceAvailability

__all__ = ["AvailabilityRepository", "ServiceAvailability"]
