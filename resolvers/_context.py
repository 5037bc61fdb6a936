"""The per-request context: who asks, the repositories, and fresh DataLoaders."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from graph import HistoryRepository, RecordLocator
from graph.access import Principal, Unauthenticated
from graph.availability import AvailabilityRepository
from graph.capacity import CapacityRepository, Figure
from graph.changes import (
    CausedIncident,
    Change,
    ChangeAssessment,
    ChangeRepository,
    SuspectedChange,
    WindowRepository,
)
from graph.cis import (
    CIRepository,
    CMDBHealthRepository,
    NeighbourPage,
    NeighbourRepository,
    NeighbourRequest,
    RelationshipRepository,
)
from graph.continuity import ContinuityRepository, CostReportReader
from graph.domain import CI, CIClass, ServiceLevel
from graph.events import EventBus, ServiceStateReader
from graph.impact import Analyst
from graph.imports import ImportRepository
from graph.imports.discovery import DriftRepository
from graph.incidents import Incident, IncidentRepository, MajorCandidate
from graph.problems import Problem, ProblemRepository
from graph.releases import Release, ReleaseRepository
from graph.services import ServiceLevelRepository
from graph.tokens import TokenRepository

__all__ = ["Context", "Repositories"]


@dataclass(frozen=True)
class Repositories:
    """Built once at start-up by the application; shared by every request."""

    cis: CIRepository
    relationships: RelationshipRepository
    neighbours: NeighbourRepository
    impact: Analyst
    history: HistoryRepository
    health: CMDBHealthRepository
    imports: ImportRepository
    incidents: IncidentRepository
    problems: ProblemRepository
    service_levels: ServiceLevelRepository
    changes: ChangeRepository
    windows: WindowRepository
    releases: ReleaseRepository
    availability: AvailabilityRepository
    continuity: ContinuityRepository
    costs: CostReportReader
    capacity: CapacityRepository
    events: EventBus
    """Where subscriptions wait for the events of committed writes."""
    service_states: ServiceStateReader
    """The computed state of services now (the starting point of `impactChanged`)."""
    drift: DriftRepository
    tokens: TokenRepository
    records: RecordLocator
    """Which kind of ITSM record an id names (`node(id)`)."""


@dataclass
class Context:
    repositories: Repositories
    principal: Principal | None
    """Who the request acts for (None: refused, see `refusal`), resolved once per request."""
    refusal: Unauthenticated | None = None
    request: Any = None
    response: Any = None
    connection_params: dict[str, object] | None = None
    """The WebSocket's `connection_init` payload (set by Strawberry)."""
    actor: str = field(init=False)
    """The name every write records: the principal's."""
    request_id: str | None = None
    """The id the API gave the request (in its log lines and its masked errors)."""
    client_mutation_ids: dict[str, str] = field(default_factory=dict)
    """Each mutation's `clientMutationId`, by its response key (resolvers/_client_mutation_id)."""
    selections: dict[Hashable, tuple[object, object]] = field(default_factory=dict)
    """What resolvers worked out from the selection at a response path of an operation, kept
    for the other objects of a list at that path: (the operation, the answer)."""
    ci_loader: DataLoader[str, CI | None] = field(init=False)
    ci_summary_loader: DataLoader[tuple[str, ...], list[tuple[str, CIClass] | None]] = field(
        init=False
    )
    neighbour_loader: DataLoader[NeighbourRequest, NeighbourPage] = field(init=False)
    service_level_loader: DataLoader[str, ServiceLevel | None] = field(init=False)
    incident_loader: DataLoader[str, Incident | None] = field(init=False)
    """Incidents by id."""
    incident_by_number_loader: DataLoader[str, Incident | None] = field(init=False)
    problem_of_incident_loader: DataLoader[str, Problem | None] = field(init=False)
    """The problem grouping an incident, by the incident's id."""
    causing_change_loader: DataLoader[str, Change | None] = field(init=False)
    """The change that caused an incident, by the incident's id."""
    caused_incidents_loader: DataLoader[str, tuple[CausedIncident, ...]] = field(init=False)
    """The incidents a change caused, by the change's id."""
    suspected_changes_loader: DataLoader[str, tuple[SuspectedChange, ...]] = field(init=False)
    """The changes suspected of causing an incident, by the incident's id."""
    release_of_change_loader: DataLoader[str, Release | None] = field(init=False)
    """The release holding a change, by the change's id."""
    change_assessment_loader: DataLoader[Change, ChangeAssessment] = field(init=False)
    """The risk and conflicts of changes, assessed together for every change a request
    shows."""
    capacity_loader: DataLoader[str, tuple[Figure, ...]] = field(init=False)
    """A CI's capacity figures, by the CI's id."""
    _major_candidates: asyncio.Future[list[MajorCandidate]] | None = field(init=False, default=None)

    def major_candidates(self) -> asyncio.Future[list[MajorCandidate]]:
        """The request's one search for major-incident candidates, started when first asked
        and shared by every resolver that needs it (its cost: the repository's)."""
        if self._major_candidates is None:
            search = self.repositories.incidents.major_candidates()
            self._major_candidates = asyncio.ensure_future(search)
        return self._major_candidates

    def authenticated_as(self, outcome: Principal | Unauthenticated) -> None:
        """Sets who the request acts for (over WebSocket: once `connection_init` arrived)."""
        if isinstance(outcome, Principal):
            self.principal, self.refusal = outcome, None
        else:
            self.principal, self.refusal = None, outcome
        self.actor = self.principal.name if self.principal is not None else "unauthenticated"

    def __post_init__(self) -> None:
        self.actor = self.principal.name if self.principal is not None else "unauthenticated"
        self.renew_loaders()

    def renew_loaders(self) -> None:
        """Fresh DataLoaders (and no shared search or worked-out selections): a WebSocket
        connection's context outlives many events, each of which must read the graph as it is
        then."""
        self._major_candidates = None
        self.selections = {}
        cis = self.repositories.cis

        async def load_cis(ids: Sequence[str]) -> list[CI | None]:
            return await cis.get_many(ids)

        self.ci_loader = DataLoader(load_fn=load_cis)

        async def load_summaries(
            lists: Sequence[tuple[str, ...]],
        ) -> list[list[tuple[str, CIClass] | None]]:
            wanted = list(dict.fromkeys(i for ids in lists for i in ids))
            by_id = dict(zip(wanted, await cis.summaries(wanted), strict=True))
            return [[by_id[i] for i in ids] for ids in lists]

        # The name and class of CIs by id, for lists that show only who they are: keyed by the
        # whole list (thousands of services under a shared database), so that one future
        # stands for a list and the lists of a page are still read at once.
        self.ci_summary_loader = DataLoader(load_fn=load_summaries)
        neighbours = self.repositories.neighbours

        async def load_neighbours(requests: Sequence[NeighbourRequest]) -> list[NeighbourPage]:
            return await neighbours.pages(requests)

        self.neighbour_loader = DataLoader(load_fn=load_neighbours)
        levels = self.repositories.service_levels

        async def load_levels(ids: Sequence[str]) -> list[ServiceLevel | None]:
            return await levels.get_many(ids)

        self.service_level_loader = DataLoader(load_fn=load_levels)
        incidents, problems = self.repositories.incidents, self.repositories.problems

        async def load_incidents(ids: Sequence[str]) -> list[Incident | None]:
            return await incidents.get_many(ids)

        async def load_by_number(numbers: Sequence[str]) -> list[Incident | None]:
            return await incidents.get_many_by_number(numbers)

        async def load_problems(incident_ids: Sequence[str]) -> list[Problem | None]:
            return await problems.problems_of_incidents(incident_ids)

        self.incident_loader = DataLoader(load_fn=load_incidents)
        self.incident_by_number_loader = DataLoader(load_fn=load_by_number)
        self.problem_of_incident_loader = DataLoader(load_fn=load_problems)
        windows, impact = self.repositories.windows, self.repositories.impact

        async def assess(batch: Sequence[Change]) -> list[ChangeAssessment]:
            return await windows.assess(list(batch), impact)

        self.change_assessment_loader = DataLoader(load_fn=assess)
        releases = self.repositories.releases

        async def load_releases(change_ids: Sequence[str]) -> list[Release | None]:
            return await releases.of_changes(change_ids)

        self.release_of_change_loader = DataLoader(load_fn=load_releases)
        changes = self.repositories.changes

        async def load_causing(incident_ids: Sequence[str]) -> list[Change | None]:
            return await changes.causing_changes(incident_ids)

        async def load_caused(change_ids: Sequence[str]) -> list[tuple[CausedIncident, ...]]:
            return await changes.caused_incidents(change_ids)

        async def load_suspects(incident_ids: Sequence[str]) -> list[tuple[SuspectedChange, ...]]:
            return await changes.suspected_changes(incident_ids)

        capacity = self.repositories.capacity

        async def load_figures(ci_ids: Sequence[str]) -> list[tuple[Figure, ...]]:
            return await capacity.figures(ci_ids)

        self.capacity_loader = DataLoader(load_fn=load_figures)
        self.causing_change_loader = DataLoader(load_fn=load_causing)
        self.caused_incidents_loader = DataLoader(load_fn=load_caused)
        self.suspected_changes_loader = DataLoader(load_fn=load_suspects)
