"""The demo's service delivery (`graph/imports/demo/delivery.json`): the service levels of the
four business services (availability targets, support hours, recovery objectives, the cost of an
hour of outage) and a month of capacity readings on five CIs, the latest taken now.

Loaded through the product's own repositories, naming CIs by their demo external ids, after the
demo CMDB and its incidents: `serviceLevelReport` and `costReport(from, to)` over the last month
then give each service its figures against its target, and `capacityHotspots` its forecasts.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from graph.imports import DEMO_FILE
from resolvers import Repositories

__all__ = ["DEMO_DELIVERY", "DemoDelivery", "load_demo_delivery"]

DEMO_DELIVERY = DEMO_FILE.parent / "delivery.json"


@dataclass(frozen=True)
class DemoDelivery:
    service_levels: int
    capacities: int
    readings: int


def _level(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "availability_target": item["availabilityTarget"],
        "support_hours": item["supportHours"],
        "rto_seconds": item["rto"],
        "rpo_seconds": item["rpo"],
        "outage_cost_per_hour": Decimal(item["outageCostPerHour"]),
    }


async def load_demo_delivery(repositories: Repositories, actor: str, now: datetime) -> DemoDelivery:
    """Sets the demo's service levels and records its capacity readings, every `everyDays`
    days up to `now` (to the minute). Meant for the demo's graph, after its CIs."""
    text = await asyncio.to_thread(DEMO_DELIVERY.read_text, encoding="utf-8")
    demo = json.loads(text)
    names = [i["service"] for i in demo["serviceLevels"]] + [c["ci"] for c in demo["capacity"]]
    ids = await repositories.incidents.find_cis(names, "demo")
    for item in demo["serviceLevels"]:
        await repositories.service_levels.set(ids[item["service"]], _level(item), actor)
    latest = now.replace(second=0, microsecond=0)
    readings = 0
    for item in demo["capacity"]:
        ci_id, metric = ids[item["ci"]], item["metric"]
        await repositories.capacity.set_capacity(
            ci_id, metric, float(item["capacity"]), item["unit"], float(item["threshold"]), actor
        )
        values = item["readings"]
        for index, value in enumerate(values):
            at = latest - timedelta(days=item["everyDays"] * (len(values) - 1 - index))
            await repositories.capacity.record_utilisation(ci_id, metric, float(value), at, actor)
            readings += 1
    return DemoDelivery(len(demo["serviceLevels"]), len(demo["capacity"]), readings)
