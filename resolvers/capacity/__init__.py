"""Capacity: capacity per metric on CIs, utilisation readings, hotspots and forecasts."""

from resolvers.capacity.mutations import CapacityMutation, CapacityQuery

__all__ = ["CapacityMutation", "CapacityQuery"]
