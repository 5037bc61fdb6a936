"""The checks the fuzzing (tests/reliability/fuzz.py) makes of every answer: no HTTP 5xx, no
masked fault (`INTERNAL_SERVER_ERROR`), a response as GraphQL over HTTP and docs/operations.md
say (media type, shape, status), and, for every operation that could not have written, the
store's fingerprint unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from schemathesis.generation.case import Case

from graph import Database

__all__ = [
    "ACCEPTS",
    "ERRORS_ALIAS",
    "Answer",
    "Request",
    "fingerprint",
    "outcome",
    "problems",
]

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
ERRORS_ALIAS = "fuzzErrors"
"""Every mutation payload of a generated document selects `fuzzErrors: errors { code }`, so
that the driver knows whether each mutation was refused."""
ACCEPTS: dict[str | None, str] = {
    JSON: JSON,
    GRAPHQL_RESPONSE: GRAPHQL_RESPONSE,
    None: JSON,
    "*/*": JSON,
    f"{GRAPHQL_RESPONSE}, {JSON};q=0.9": GRAPHQL_RESPONSE,
}
"""Accept headers sent, and the media type the answer must have (docs/operations.md)."""
CODES = frozenset(
    {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "PERSISTED_QUERY_NOT_FOUND",
    }
)
"""The codes an answer may carry here (docs/api.md, "Errors"): neither a masked fault
(`INTERNAL_SERVER_ERROR`) nor Neo4j unavailable (`SERVICE_UNAVAILABLE`, `TIMEOUT`) should
happen against a healthy server."""
REQUEST_ERRORS = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})
MALFORMED = frozenset({400, 405, 413, 415})
"""Statuses of a malformed request (not JSON, a batch, a mutation over GET), either media type."""
Outcome = Literal["accepted", "rejected", "partial"]


@dataclass(frozen=True)
class Request:
    kind: str
    """Where it came from: `valid query`, `valid mutation`, `invalid: <generator>`."""
    valid: bool
    mutation: bool
    """Whether it may write (a mutation, or a body the driver cannot tell)."""
    body: bytes
    accept: str | None
    method: str = "POST"
    content_type: str = JSON
    params: dict[str, str] = field(default_factory=dict)
    case: Case[Any] | None = None
    """Schemathesis's case, when it made the request: its checks judge the answer too."""

    @property
    def expected_media_type(self) -> str:
        return ACCEPTS.get(self.accept, JSON)

    def summary(self) -> str:
        shown = self.params or self.body.decode("utf-8", "replace")
        return f"{self.kind}, {self.method}, accept {self.accept}: {str(shown)[:600]}"


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    def payload(self) -> Any:
        """The JSON body, or None when it is not JSON."""
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None


def _error_problems(errors: Any) -> list[str]:
    if not isinstance(errors, list) or not errors:
        return [f"`errors` is not a non-empty list: {errors!r}"]
    found = []
    for error in errors:
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            found.append(f"an error without a message: {error!r}")
            continue
        code = (error.get("extensions") or {}).get("code")
        if code not in CODES:
            found.append(f"error code {code!r}: {error['message']!r}")
        locations = error.get("locations", [])
        if not isinstance(locations, list) or not all(
            isinstance(p, dict) and set(p) == {"line", "column"} for p in locations
        ):
            found.append(f"bad locations: {locations!r}")
        path = error.get("path", [])
        if not isinstance(path, list) or not all(isinstance(p, str | int) for p in path):
            found.append(f"bad path: {path!r}")
    return found


def _status_problems(answer: Answer, payload: dict[str, Any], media_type: str) -> list[str]:
    errors = payload.get("errors") or []
    codes = {str((e.get("extensions") or {}).get("code")) for e in errors if isinstance(e, dict)}
    request_error = (
        payload.get("data") is None
        and bool(codes)
        and codes <= REQUEST_ERRORS
        and not any(isinstance(e, dict) and "path" in e for e in errors)
    )
    status = answer.status
    if "data" in payload:
        if status != 200:
            return [f"HTTP {status} with `data`"]
        if media_type == GRAPHQL_RESPONSE and request_error:
            return ["a request error with `data` under application/graphql-response+json"]
        return []
    if media_type == GRAPHQL_RESPONSE:
        return [] if 400 <= status < 500 else [f"HTTP {status} without `data`"]
    if status == 200 or status in MALFORMED or codes == {"UNAUTHENTICATED"}:
        return []
    return [f"HTTP {status} under application/json"]


def problems(request: Request, answer: Answer) -> list[str]:
    """What is wrong with `answer` to `request`; empty when nothing is."""
    if answer.status >= 500:
        return [f"HTTP {answer.status}: {answer.body[:300]!r}"]
    media_type = answer.content_type.split(";")[0].strip().lower()
    found = []
    if media_type != request.expected_media_type:
        found.append(f"media type {answer.content_type!r}, not {request.expected_media_type}")
    if "charset=utf-8" not in answer.content_type.lower().replace(" ", ""):
        found.append(f"no charset=utf-8: {answer.content_type!r}")
    payload = answer.payload()
    if not isinstance(payload, dict):
        return [*found, f"not a JSON object: {answer.body[:300]!r}"]
    if not payload.keys() & {"data", "errors"} or payload.keys() - {"data", "errors", "extensions"}:
        found.append(f"members {sorted(payload)}")
    if "errors" in payload:
        found += _error_problems(payload["errors"])
    elif payload.get("data") is None:
        found.append("neither data nor errors")
    return found + _status_problems(answer, payload, media_type)


def outcome(request: Request, payload: Any) -> Outcome:
    """Whether the operation was carried out: `rejected` when nothing ran or every mutation of
    it was refused (null, or payload errors), `partial` when some were."""
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, dict):
        return "rejected"
    if not request.mutation:
        return "accepted"
    refused = [
        value is None or (isinstance(value, dict) and bool(value.get(ERRORS_ALIAS)))
        for value in data.values()
    ]
    if all(refused):
        return "rejected"
    return "partial" if any(refused) else "accepted"


FINGERPRINT = """
MATCH (n) WHERE NOT n:__Neo4jMigration AND NOT n:__Neo4jMigrationLock
WITH labels(n) AS key, n
RETURN 'nodes' AS kind, key, count(*) AS count, sum(size(keys(n))) AS properties,
       sum(coalesce(toIntegerOrNull(n.version), 0)) AS versions,
       max(toStringOrNull(n.updatedAt)) AS latest
UNION ALL
MATCH ()-[r]->()
WITH [type(r)] AS key, r
RETURN 'edges' AS kind, key, count(*) AS count, sum(size(keys(r))) AS properties,
       sum(coalesce(toIntegerOrNull(r.version), 0)) AS versions,
       max(toStringOrNull(r.updatedAt)) AS latest
"""


async def fingerprint(db: Database) -> frozenset[tuple[Any, ...]]:
    """The store in brief: per label set and per relationship type, how many, how many
    properties, the sum of versions and the latest update. A write changes it."""
    rows = await db.read_rows("fuzz.fingerprint", FINGERPRINT)
    columns = ("count", "properties", "versions", "latest")
    return frozenset((r["kind"], tuple(sorted(r["key"])), *(r[c] for c in columns)) for r in rows)
