"""graphql-cop's checks, written here (its package on PyPI is an empty placeholder): each
check sends what graphql-cop sends, judges the answer as graphql-cop judges it, and keeps the
evidence. Severities are graphql-cop's. docs/security.md, "Scanner", lists the checks and the
verdicts in the production configuration and in the default one.

Run against a server (a bearer token is optional; graphql-cop sends none):

    python -m tests.reliability.scanner http://127.0.0.1:8000/graphql [--token <token>]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

__all__ = [
    "CHECKS",
    "PRODUCTION_ENV",
    "Check",
    "Finding",
    "Severity",
    "findings_table",
    "scan",
]

PRODUCTION_ENV = {
    "CMDB_INTROSPECTION": "false",
    "CMDB_GRAPHIQL": "false",
    "CMDB_ANONYMOUS_READ": "false",
    "CMDB_JWT_ISSUER": "https://id.example.com/realms/cmdb",
    "CMDB_JWT_AUDIENCE": "cmdb",
    "CMDB_ALLOWED_HOSTS": "cmdb.example.com",
    "CMDB_CORS_ORIGINS": "https://desk.example.com",
    "CMDB_LOG_LEVEL": "info",
    "CMDB_LOG_FORMAT": "json",
}
"""The production configuration's settings (docs/operations.md, "Production configuration")
besides the deployment's own (Neo4j, keys): what the scanner's tests serve."""


class Severity(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    INFO = "INFO"


@dataclass(frozen=True)
class Finding:
    check: str
    title: str
    severity: Severity
    found: bool
    """True: the server does what the check looks for (graphql-cop's "vulnerable")."""
    evidence: str


@dataclass(frozen=True)
class Target:
    """The endpoint under scan: `http` sends to `url` (httpx's base_url would add a slash)."""

    http: httpx.AsyncClient
    url: str

    async def get(self, **options: Any) -> httpx.Response:
        return await self.http.get(self.url, **options)

    async def post(self, **options: Any) -> httpx.Response:
        return await self.http.post(self.url, **options)


Probe = Callable[[Target], Awaitable[tuple[bool, str]]]


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    severity: Severity
    sends: str
    probe: Probe


def _evidence(response: httpx.Response) -> str:
    """The status and the gist of the answer: its first error's message, or its data's keys."""
    try:
        body: Any = response.json()
    except ValueError:
        return f"HTTP {response.status_code}, {len(response.content)} bytes of {_kind(response)}"
    if isinstance(body, list):
        return f"HTTP {response.status_code}, a JSON array of {len(body)}"
    errors = body.get("errors") or []
    if errors:
        message = str(errors[0].get("message", ""))
        return f"HTTP {response.status_code}, {len(errors)} error(s): {message[:160]}"
    data = body.get("data")
    keys = sorted(data) if isinstance(data, dict) else data
    return f"HTTP {response.status_code}, data {keys}"


def _kind(response: httpx.Response) -> str:
    return response.headers.get("content-type", "no content type").split(";")[0]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _data(response: httpx.Response) -> dict[str, Any]:
    body = _json(response)
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}


def _errors(response: httpx.Response) -> list[dict[str, Any]]:
    body = _json(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


async def _post(http: Target, query: str) -> httpx.Response:
    return await http.post(json={"query": query, "operationName": "cop"})


def _posting(query: str, verdict: Callable[[httpx.Response], bool]) -> Probe:
    async def probe(http: Target) -> tuple[bool, str]:
        response = await _post(http, query)
        return verdict(response), _evidence(response)

    return probe


def _answers_typename(response: httpx.Response) -> bool:
    return bool(_data(response).get("__typename"))


async def _introspection(http: Target) -> tuple[bool, str]:
    response = await _post(http, "query cop { __schema { types { name fields { name } } } }")
    schema = _data(response).get("__schema") or {}
    return bool(schema.get("types")), _evidence(response)


async def _circular_introspection(http: Target) -> tuple[bool, str]:
    nested = "fields { type { " * 4 + "name" + " } }" * 4
    response = await _post(http, f"query cop {{ __schema {{ types {{ {nested} }} }} }}")
    types = (_data(response).get("__schema") or {}).get("types") or []
    return len(types) > 25, _evidence(response)


IDE_MARKS = ("graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground")


async def _graphiql(http: Target) -> tuple[bool, str]:
    response = await http.get(headers={"accept": "text/html"})
    found = any(mark in response.text for mark in IDE_MARKS)
    return found, f"HTTP {response.status_code}, {_kind(response)}" + (
        ", a GraphQL IDE's page" if found else ""
    )


SUGGESTION_PROBES = ("query cop { __schema { directive } }", "query cop { cis { totalCont } }")


async def _field_suggestions(http: Target) -> tuple[bool, str]:
    evidence = []
    found = False
    for query in SUGGESTION_PROBES:
        response = await _post(http, query)
        messages = [str(e.get("message", "")) for e in _errors(response)]
        found = found or any("Did you mean" in m for m in messages)
        evidence.append(_evidence(response))
    return found, "; ".join(evidence)


def _get(query: str) -> Probe:
    async def probe(http: Target) -> tuple[bool, str]:
        response = await http.get(params={"query": query})
        return _answers_typename(response), _evidence(response)

    return probe


def _non_json_post(kind: str) -> Probe:
    """A POST a browser's form or `fetch` sends cross-site without a CORS preflight."""
    query = "query cop { __typename }"

    async def probe(http: Target) -> tuple[bool, str]:
        if kind == "urlencoded":
            response = await http.post(data={"query": query})
        elif kind == "multipart":
            response = await http.post(files={"query": (None, query)})
        else:
            body = json.dumps({"query": query})
            response = await http.post(content=body, headers={"content-type": "text/plain"})
        return _answers_typename(response), _evidence(response)

    return probe


async def _batching(http: Target) -> tuple[bool, str]:
    response = await http.post(json=[{"query": "query cop { __typename }"}] * 10)
    body = _json(response)
    return isinstance(body, list) and len(body) >= 10, _evidence(response)


def _directives_answered(response: httpx.Response) -> bool:
    return len(_errors(response)) >= 10


def _tracing(response: httpx.Response) -> bool:
    body = _json(response)
    places = [body, *_errors(response)] if isinstance(body, dict) else []
    return any("tracing" in (place.get("extensions") or {}) for place in places)


def _exception(response: httpx.Response) -> bool:
    for error in _errors(response):
        extensions = error.get("extensions") or {}
        if {"exception", "stacktrace"} & set(extensions) or "Traceback" in str(error):
            return True
    return False


_ALIASES = " ".join(f"alias{i}: __typename" for i in range(101))
_MUTATION_OVER_GET = "mutation cop { __typename }"

CHECKS: tuple[Check, ...] = (
    Check("introspection", "Introspection", Severity.HIGH,
          "POST `query cop { __schema { types { name fields { name } } } }`", _introspection),
    Check("graphiql", "GraphQL IDE", Severity.LOW,
          "GET /graphql with `Accept: text/html`", _graphiql),
    Check("field_suggestions", "Field Suggestions", Severity.LOW,
          "POST `{ __schema { directive } }` and `{ cis { totalCont } }`", _field_suggestions),
    Check("get_queries", "GET Method Query Support", Severity.MEDIUM,
          "GET ?query=`query cop { __typename }`", _get("query cop { __typename }")),
    Check("get_mutations", "Mutation is allowed over GET (possible CSRF)", Severity.MEDIUM,
          "GET ?query=`mutation cop { __typename }`", _get(_MUTATION_OVER_GET)),
    Check("post_urlencoded", "POST based url-encoded query (possible CSRF)", Severity.MEDIUM,
          "POST the query as application/x-www-form-urlencoded", _non_json_post("urlencoded")),
    Check("post_multipart", "POST based form-data query (possible CSRF)", Severity.MEDIUM,
          "POST the query as multipart/form-data", _non_json_post("multipart")),
    Check("post_text_plain", "POST based text/plain query (possible CSRF)", Severity.MEDIUM,
          "POST the JSON body as text/plain", _non_json_post("text")),
    Check("alias_overloading", "Alias Overloading", Severity.HIGH,
          "POST 101 aliases of `__typename`",
          _posting(f"query cop {{ {_ALIASES} }}", lambda r: "alias100" in _data(r))),
    Check("array_batching", "Array-based Query Batching", Severity.HIGH,
          "POST a JSON array of 10 `query cop { __typename }`", _batching),
    Check("directive_overloading", "Directive Overloading", Severity.HIGH,
          "POST `__typename` with `@aa` ten times",
          _posting("query cop { __typename " + "@aa" * 10 + " }", _directives_answered)),
    Check("circular_introspection", "Introspection-based Circular Query", Severity.HIGH,
          "POST `__schema { types { fields { type { ...` four levels", _circular_introspection),
    Check("field_duplication", "Field Duplication", Severity.HIGH,
          "POST `__typename` 500 times in one selection set",
          _posting("query cop { " + "__typename " * 500 + "}", _answers_typename)),
    Check("trace_mode", "Trace Mode", Severity.INFO,
          "POST `query cop { __typename }`, look for `extensions.tracing`",
          _posting("query cop { __typename }", _tracing)),
    Check("unhandled_errors", "Unhandled Errors Detection", Severity.INFO,
          "POST `qwerty cop { abc }`, look for an exception or a traceback",
          _posting("qwerty cop { abc }", _exception)),
)  # fmt: skip


async def scan(
    url: str, headers: Mapping[str, str] | None = None, patience: float = 30.0
) -> list[Finding]:
    """Every check against the GraphQL endpoint at `url`, one after the other; each request
    may take `patience` seconds (a hang guard)."""
    findings = []
    async with httpx.AsyncClient(headers=dict(headers or {}), timeout=patience) as http:
        target = Target(http, url)
        for check in CHECKS:
            found, evidence = await check.probe(target)
            findings.append(Finding(check.name, check.title, check.severity, found, evidence))
    return findings


def findings_table(findings: list[Finding]) -> str:
    """The findings as a Markdown table."""
    lines = ["| check | severity | found | evidence |", "| --- | --- | --- | --- |"]
    for f in findings:
        evidence = f.evidence.replace("|", "\\|")
        lines.append(
            f"| {f.title} (`{f.check}`) | {f.severity} | {'yes' if f.found else 'no'} |"
            f" {evidence} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="graphql-cop's checks against a server.")
    parser.add_argument("url", help="the GraphQL endpoint, e.g. http://127.0.0.1:8000/graphql")
    parser.add_argument("--token", help="a bearer token to send (graphql-cop sends none)")
    arguments = parser.parse_args()
    headers = {"authorization": f"Bearer {arguments.token}"} if arguments.token else {}
    try:
        findings = asyncio.run(scan(arguments.url, headers))
    except httpx.TransportError as error:
        print(f"cannot reach {arguments.url}: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    print(findings_table(findings))
    high = [f.check for f in findings if f.found and f.severity is Severity.HIGH]
    raise SystemExit(1 if high else 0)


if __name__ == "__main__":
    main()
