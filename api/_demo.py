"""The demo data `make run` loads into an empty graph: the CMDB of a fictional online retailer
(`graph/imports/demo/demo.json`), then a month of its service desk's incidents and two problems,
one of them a known error (`incidents.json`, `problems.json` beside it), the service levels and
capacity readings of `delivery.json`, and the changes of `changes.json`.

The incident file's times are those of a reference month ending at `DEMO_ANCHOR`; they are
moved so that the anchor is now, so the month is always the last one and the open incidents are
recent. Incidents go through `importIncidents` (source "demo", CIs named by their demo external
ids), problems through the problem repository: the demo exercises the product's own paths.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from api._demo_changes import ReplayClock, load_demo_changes
from api._demo_delivery import load_demo_delivery
from graph.domain import ProblemState
from graph.errors import FieldError, InvalidInput
from graph.imports import DEMO_FILE, load_demo
from graph.incidents import HistoricalIncident, read_history_json
from graph.problems import NewProblem
from resolvers import Repositories

__all__ = ["DEMO_ANCHOR", "DEMO_INCIDENTS", "DEMO_PROBLEMS", "DemoLoaded", "load_demo_data"]

DEMO_INCIDENTS = DEMO_FILE.parent / "incidents.json"
DEMO_PROBLEMS = DEMO_FILE.parent / "problems.json"
DEMO_ANCHOR = datetime(2026, 11, 30, 12, tzinfo=UTC)
"""The end of the demo incidents' reference month."""


@dataclass(frozen=True)
class DemoLoaded:
    cis: int
    relationships: int
    incidents: int
    problems: int
    changes: int
    freezes: int
    releases: int
    service_levels: int = 0
    capacity_readings: int = 0


def _moved(row: HistoricalIncident, by: Any) -> HistoricalIncident:
    return replace(
        row,
        opened_at=row.opened_at + by,
        transitions=tuple(replace(t, at=t.at + by) for t in row.transitions),
    )


async def _incidents(repositories: Repositories, actor: str, now: datetime) -> dict[str, str]:
    text = await asyncio.to_thread(DEMO_INCIDENTS.read_text, encoding="utf-8")
    request = read_history_json(text)
    by = now.replace(second=0, microsecond=0) - DEMO_ANCHOR
    request = replace(request, incidents=[_moved(row, by) for row in request.incidents])
    result = await repositories.incidents.import_history(request, actor)
    return dict(result.numbers)


async def _problems(repositories: Repositories, actor: str, numbers: dict[str, str]) -> int:
    text = await asyncio.to_thread(DEMO_PROBLEMS.read_text, encoding="utf-8")
    problems: list[dict[str, Any]] = json.loads(text)["problems"]
    roots = await repositories.incidents.find_cis(
        [p["rootCauseExternalId"] for p in problems], "demo"
    )
    for item in problems:
        created = await repositories.problems.create(
            NewProblem(
                title=item["title"],
                description=item.get("description"),
                incident_numbers=tuple(numbers[e] for e in item["incidentExternalIds"]),
                root_cause_ci_id=roots.get(item["rootCauseExternalId"]),
                workaround=item.get("workaround"),
            ),
            actor,
        )
        for state in item["states"]:
            await repositories.problems.transition(
                created.number, ProblemState(state), "demo data", actor
            )
    return len(problems)


async def load_demo_data(repositories: Repositories, actor: str, clock: ReplayClock) -> DemoLoaded:
    """Loads the demo CMDB, its month of incidents, its problems, and its changes, freeze and
    release through `repositories`, which tell time by `clock` (the demo replays each change's
    steps at the time they would have happened). Meant for an empty graph (`cmdb serve
    --seed-demo` checks): the CIs and incidents are idempotent imports, the rest is created
    anew. Raises `InvalidInput` when a demo file is not valid; nothing of that file is written
    then."""
    cis, relationships = await load_demo(repositories.imports, actor)
    now = clock.now()
    try:
        numbers = await _incidents(repositories, actor, now)
    except InvalidInput as error:
        raise InvalidInput(
            [
                FieldError(f"{DEMO_INCIDENTS.name}: {e.field}", e.message, e.code)
                for e in error.errors
            ]
        ) from error
    problems = await _problems(repositories, actor, numbers)
    delivery = await load_demo_delivery(repositories, actor, now)
    changes, freezes, releases = await load_demo_changes(repositories, actor, clock)
    return DemoLoaded(
        cis,
        relationships,
        len(numbers),
        problems,
        changes,
        freezes,
        releases,
        delivery.service_levels,
        delivery.readings,
    )
