"""Which CI a service name of a trace is: traces name services, not CIs of a source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph._database import Database
from graph.domain import CIClass, CIStatus

__all__ = ["ServiceNames"]

# A scan of the CIs (names are compared lower-case, which no index serves); once per run.
CIS_NAMED = """
MATCH (c:CI) WHERE toLower(c.name) IN $names AND c.status <> $retired
RETURN collect([toLower(c.name), c.id, c.class]) AS found
"""

# A service's name is also its Kubernetes Service's and its pods' prefix: the workload wins.
_NOT_THE_SERVICE = {CIClass.LOAD_BALANCER.value, CIClass.CONTAINER.value}


@dataclass(frozen=True)
class ServiceNames:
    db: Database

    async def resolve(self, names: Iterable[str]) -> tuple[dict[str, str], dict[str, int]]:
        """(CI id of each name that names one CI, number of CIs of each ambiguous name);
        names lower-case. A name held by one CI besides load balancers and containers (a
        Deployment and its Service share a name) is that CI. One read: a scan of the CIs."""
        wanted = sorted({name.lower() for name in names})
        [row] = await self.db.read_rows(
            "discover.names", CIS_NAMED, names=wanted, retired=CIStatus.RETIRED.value
        )
        found: dict[str, list[tuple[str, str]]] = {}
        for name, ci_id, label in row["found"]:
            found.setdefault(name, []).append((ci_id, label))
        resolved: dict[str, str] = {}
        ambiguous: dict[str, int] = {}
        for name, candidates in found.items():
            workloads = [c for c in candidates if c[1] not in _NOT_THE_SERVICE]
            chosen = workloads if workloads else candidates
            if len(chosen) == 1:
                resolved[name] = chosen[0][0]
            else:
                ambiguous[name] = len(chosen)
        return resolved, ambiguous
