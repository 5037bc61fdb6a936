"""`node(id)`: any object by its id, through the `Node` interface (docs/api.md, "Ids and
nodes"). Ids are UUIDs made by the server for CIs and for every ITSM record (incidents,
problems, changes, releases), unique across all of them, so the id alone says which it is."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph import RecordKind
from resolvers._context import Context
from resolvers.changes.types import to_change
from resolvers.cis.types import Node, to_graphql
from resolvers.incidents.types import to_incident
from resolvers.problems.types import to_problem
from resolvers.releases.types import to_release

__all__ = ["NodeQuery"]


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its id (a CI, incident, problem, change or release), or null."
    )
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        """One round trip for a CI (batched with the request's others); two for a record:
        which kind the id names, then the record."""
        ci = await info.context.ci_loader.load(str(id))
        if ci is not None:
            return to_graphql(ci)
        repositories = info.context.repositories
        found = await repositories.records.locate(str(id))
        if found is None:
            return None
        if found.kind is RecordKind.INCIDENT:
            incident = await info.context.incident_by_number_loader.load(found.number)
            return to_incident(incident) if incident else None
        if found.kind is RecordKind.PROBLEM:
            problem = await repositories.problems.get(found.number)
            return to_problem(problem) if problem else None
        if found.kind is RecordKind.CHANGE:
            change = await repositories.changes.get(found.number)
            return to_change(change) if change else None
        release = await repositories.releases.get(found.number)
        return to_release(release) if release else None
