"""GraphQL fuzzing of a live server: its schema read by introspection, then, for each role,
thousands of valid and invalid requests (tests/reliability/fuzz_cases.py) sent one at a time,
each answer checked (tests/reliability/fuzz_checks.py): no HTTP 5xx, no masked fault, GraphQL
over HTTP kept, and the store unchanged by every operation that was refused or only read.

`make test` runs a small seeded version (tests/reliability/test_fuzz.py), `make reliability`
the full one (tests/reliability/run.py, `--fuzz-operations`)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as seeded
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from graph import Database
from tests.reliability.fuzz_cases import requests, scalars
from tests.reliability.fuzz_checks import Answer, Request, fingerprint, outcome, problems

__all__ = ["ROLES", "FuzzFigures", "RoleFigures", "fuzz", "role_headers"]

ROLES = ("viewer", "agent", "change_manager", "cab", "config_manager", "admin")
PATIENCE = 60.0
"""Seconds one request may take before the run fails (a hang guard)."""
KNOWN_FIELDS = ("id", "number", "name")


@dataclass
class RoleFigures:
    tried: int = 0
    valid: int = 0
    invalid: int = 0
    accepted: int = 0
    rejected: int = 0
    partial: int = 0
    unchanged_checked: int = 0
    """Answers after which the store's fingerprint was compared (refused, or read only)."""
    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    """`extensions.code` of the errors the answers carried."""
    failures: list[str] = field(default_factory=list)


@dataclass
class FuzzFigures:
    seed: int
    operations: int
    schema: str
    roles: dict[str, RoleFigures] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        return [f"{role}: {f}" for role, r in self.roles.items() for f in r.failures]

    def as_dict(self) -> dict[str, Any]:
        """For JSON (not dataclasses.asdict: it rebuilds a Counter from its pairs, counting
        them)."""
        roles = {
            role: {k: dict(v) if isinstance(v, Counter) else v for k, v in vars(r).items()}
            for role, r in self.roles.items()
        }
        return {**vars(self), "roles": roles, "failures": len(self.failures)}


async def _known_values(http: httpx.AsyncClient, schema: graphql.GraphQLSchema) -> list[str]:
    """Ids, numbers and names of what the store holds: the first page of every list."""
    assert schema.query_type is not None
    known: set[str] = set()
    for name, root in sorted(schema.query_type.fields.items()):
        connection = graphql.get_named_type(root.type)
        if any(graphql.is_required_argument(a) for a in root.args.values()):
            continue
        if not isinstance(connection, graphql.GraphQLObjectType):
            continue
        edge = graphql.get_named_type(
            connection.fields["edges"].type if "edges" in connection.fields else None
        )
        if not isinstance(edge, graphql.GraphQLObjectType) or "node" not in edge.fields:
            continue
        node = graphql.get_named_type(edge.fields["node"].type)
        wanted = [f for f in KNOWN_FIELDS if f in getattr(node, "fields", {})]
        if not wanted:
            continue
        query = f"{{ {name}(first: 50) {{ edges {{ node {{ {' '.join(wanted)} }} }} }} }}"
        body = (await http.post("/graphql", json={"query": query})).json()
        for edge in ((body.get("data") or {}).get(name) or {}).get("edges", []):
            known.update(str(v) for v in edge["node"].values() if v is not None)
    return sorted(known)


def _send(http: httpx.Client, request: Request) -> httpx.Response:
    headers = {"content-type": request.content_type}
    if request.accept is not None:
        headers["accept"] = request.accept
    if request.method == "GET":
        return http.get("/graphql", params=request.params, headers=headers)
    return http.post("/graphql", content=request.body, headers=headers)


def _judge(request: Request, response: httpx.Response, changed: bool, figures: RoleFigures) -> None:
    media_type = response.headers.get("content-type", "")
    answer = Answer(response.status_code, media_type, response.content)
    found = problems(request, answer)
    payload = answer.payload()
    result = outcome(request, payload)
    for error in (payload.get("errors") if isinstance(payload, dict) else None) or []:
        if isinstance(error, dict):
            figures.codes[str((error.get("extensions") or {}).get("code"))] += 1
    setattr(figures, result, getattr(figures, result) + 1)
    if result == "rejected" or not request.mutation:
        figures.unchanged_checked += 1
        if changed:
            what = "mutation" if request.mutation else "query"
            found.append(f"the store changed after a {result} {what}")
    if request.case is not None:
        try:
            request.case.validate_response(
                response, checks=[response_schema_conformance, negative_data_rejection]
            )
        except Exception as failure:  # Schemathesis's FailureGroup, its report in the message
            found.append(f"schemathesis: {str(failure)[:800]}")
    if found:
        figures.failures.append(
            f"{request.summary()} -> HTTP {answer.status} {answer.body[:600]!r}: {'; '.join(found)}"
        )


def _explore(
    strategy: st.SearchStrategy[Request],
    base_url: str,
    headers: Mapping[str, str],
    budget: int,
    seed: int,
    db: Database,
    loop: asyncio.AbstractEventLoop,
) -> RoleFigures:
    """Runs in a worker thread: `budget` requests, each judged; the store is read through the
    event loop's driver."""
    figures = RoleFigures()

    def read_store() -> frozenset[tuple[Any, ...]]:
        return asyncio.run_coroutine_threadsafe(fingerprint(db), loop).result(PATIENCE)

    last = [read_store()]
    with httpx.Client(base_url=base_url, headers=dict(headers), timeout=PATIENCE) as http:

        @settings(
            max_examples=budget,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
        )
        @seeded(seed)
        @given(strategy)
        def one(request: Request) -> None:
            response = _send(http, request)
            now = read_store()
            figures.tried += 1
            figures.valid += request.valid
            figures.invalid += not request.valid
            figures.kinds[request.kind] += 1
            figures.statuses[response.status_code] += 1
            _judge(request, response, now != last[0], figures)
            last[0] = now

        one()
    return figures


async def fuzz(
    base_url: str,
    db: Database,
    headers: Mapping[str, Mapping[str, str]],
    operations: int,
    seed: int = 0,
) -> FuzzFigures:
    """About `operations` requests to `base_url`, shared among the roles of `headers` (role to
    its Authorization header); `db` is the server's store. The seed makes the run repeatable."""
    first = next(iter(headers.values()))
    async with httpx.AsyncClient(base_url=base_url, headers=dict(first), timeout=PATIENCE) as http:
        answer = await http.post("/graphql", json={"query": graphql.get_introspection_query()})
        introspection: dict[str, Any] = answer.json()
        known = await _known_values(http, graphql.build_client_schema(introspection["data"]))
    schema = graphql.build_client_schema(introspection["data"])
    for name, scalar in scalars(known).items():
        schemathesis.graphql.scalar(name, scalar)
    strategy = requests(schema, schemathesis.graphql.from_dict(introspection), known)
    assert schema.query_type is not None and schema.mutation_type is not None
    shape = f"{len(schema.query_type.fields)} queries, {len(schema.mutation_type.fields)} mutations"
    figures = FuzzFigures(seed, operations, f"{shape}; {len(known)} known ids, numbers and names")
    loop = asyncio.get_running_loop()
    budget = max(1, operations // len(headers))
    for index, (role, header) in enumerate(headers.items()):
        figures.roles[role] = await asyncio.to_thread(
            _explore, strategy, base_url, header, budget, seed + index, db, loop
        )
    return figures


async def role_headers(cmdb: str, env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """An API token for each role (`cmdb token create`, as an operator makes them), as the
    Authorization header to send."""
    headers = {}
    for role in ROLES:
        process = await asyncio.create_subprocess_exec(
            cmdb,
            "token",
            "create",
            "--name",
            f"fuzz-{role}",
            "--role",
            role,
            env=dict(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"cmdb token create failed: {out.decode()} {err.decode()}")
        headers[role] = {"authorization": f"Bearer {out.decode().strip().splitlines()[-1]}"}
    return headers
