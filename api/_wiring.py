"""The one place that builds the repositories: the application's lifespan, the CLI and the
benchmark call it (the demo loader is handed the import repository it builds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from api.settings import Settings
from graph import Clock, Database, HistoryRepository, RecordLocator, SystemClock, Writes
from graph.availability import AvailabilityRepository
from graph.capacity import CapacityRepository
from graph.changes import ChangeRepository, WindowRepository
from graph.cis import (
    CIRepository,
    CMDBHealthRepository,
    NeighbourRepository,
    RelationshipRepository,
)
from graph.continuity import ContinuityRepository, CostReportReader
from graph.events import EventBus, InProcessBus, Publisher, ServiceStateReader
from graph.impact import Analyst, ImpactRepository, TopologyProjection
from graph.imports import ExportRepository, ImportRepository
from graph.imports.discovery import DriftRepository
from graph.incidents import IncidentRepository
from graph.problems import ProblemRepository
from graph.releases import ReleaseRepository
from graph.services import ServiceLevelRepository
from graph.tokens import TokenRepository
from resolvers import Repositories

__all__ = [
    "Transfer",
    "build_repositories",
    "build_tokens",
    "build_transfer",
    "start_repositories",
]


@dataclass(frozen=True)
class Transfer:
    """What `cmdb import`, `cmdb export` and the benchmark's load need, and nothing else."""

    imports: ImportRepository
    exports: ExportRepository


def _imports(
    db: Database,
    history: HistoryRepository,
    writes: Writes,
    settings: Settings,
    clock: Clock | None = None,
) -> ImportRepository:
    return ImportRepository(db, history, settings.import_precedence, writes=writes, clock=clock)


def _repositories(
    db: Database,
    settings: Settings,
    projection: TopologyProjection,
    clock: Clock,
    bus: EventBus | None = None,
) -> Repositories:
    history = HistoryRepository(db)
    # One write recipe for every repository, so that an after-commit hook (change events for
    # subscriptions) registered on it sees every write.
    writes = Writes(db, history, delta_log=settings.topology_delta_log)
    impact = Analyst(ImpactRepository(db), projection)
    cis = CIRepository(db, history, writes)
    service_levels = ServiceLevelRepository(db, writes, clock)
    availability = AvailabilityRepository(db, service_levels, clock)
    repositories = Repositories(
        cis=cis,
        relationships=RelationshipRepository(db, history, writes),
        neighbours=NeighbourRepository(db),
        impact=impact,
        history=history,
        health=CMDBHealthRepository(db),
        imports=_imports(db, history, writes, settings, clock),
        incidents=IncidentRepository(
            db,
            history,
            writes,
            impact,
            clock,
            settings.sla_calendar,
            timedelta(minutes=settings.correlation_minutes),
        ),
        problems=ProblemRepository(db, history, writes, clock),
        service_levels=service_levels,
        changes=ChangeRepository(
            db,
            history,
            writes,
            impact,
            clock,
            required_approvals=settings.cab_approvals,
            suspect_window=timedelta(hours=settings.suspect_change_hours),
        ),
        windows=WindowRepository(db, history, writes, clock),
        releases=ReleaseRepository(db, history, writes, clock),
        availability=availability,
        continuity=ContinuityRepository(impact, cis, service_levels),
        costs=CostReportReader(impact, cis, availability),
        capacity=CapacityRepository(db, history, writes, clock),
        events=bus or InProcessBus(settings.subscription_queue),
        service_states=ServiceStateReader(db, impact),
        drift=DriftRepository(db, clock),
        records=RecordLocator(db),
        tokens=TokenRepository(db, writes, clock),
    )
    publisher = Publisher(
        repositories.events,
        repositories.incidents,
        repositories.changes,
        cis,
        repositories.service_states,
    )
    writes.after_commit.append(publisher.after_commit)
    return repositories


def build_repositories(
    db: Database, settings: Settings, clock: Clock | None = None
) -> Repositories:
    """Every repository over `db`, configured by `settings`, telling time by `clock` (the
    system's by default; tests move theirs). No I/O."""
    return _repositories(db, settings, TopologyProjection(db), clock or SystemClock())


async def start_repositories(
    db: Database, settings: Settings, clock: Clock | None = None, bus: EventBus | None = None
) -> Repositories:
    """`build_repositories`, with the topology projection loaded before the first request is
    accepted, so that no question (and no worker that a benchmark or a load balancer sends
    traffic to) waits for it: about 3 s at 100,000 CIs. A failure (Neo4j down) only logs; the
    first question loads it then. Committed writes publish their events on `bus`."""
    projection = TopologyProjection(db)
    repositories = _repositories(db, settings, projection, clock or SystemClock(), bus)
    await projection.preload()
    return repositories


def build_transfer(db: Database, settings: Settings) -> Transfer:
    """The import (with the source precedence of `settings`) and the export over `db`."""
    history = HistoryRepository(db)
    writes = Writes(db, history, delta_log=settings.topology_delta_log)
    return Transfer(_imports(db, history, writes, settings), ExportRepository(db))


def build_tokens(db: Database) -> TokenRepository:
    """The API-token repository over `db`, for the `cmdb token` commands."""
    history = HistoryRepository(db)
    return TokenRepository(db, Writes(db, history), SystemClock())
