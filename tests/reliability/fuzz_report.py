"""The GraphQL fuzzing's section of docs/reliability.md (tests/reliability/report_md.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.reliability.fuzz import FuzzFigures

__all__ = ["fuzz_section"]

HOW = """
`tests/reliability/fuzz.py`, against the same `cmdb serve` once the load is over, with an API
token for each role. The schema is read by introspection. Valid queries and mutations come
from hypothesis-graphql (one to three root fields each); invalid ones from its negative mode
(one schema violation each), from Schemathesis's GraphQL mode (negative cases, also judged by
Schemathesis's response checks), from valid documents garbled (a cut, a stray token, a
misspelt name) and from requests GraphQL over HTTP refuses (not JSON, a batch, `query` not a
string, variables of the wrong type, an unknown `operationName`, a mutation over GET, a
content type that is not JSON). Strings and ids are often ones the demo data holds. Every
answer must have: no HTTP 5xx; no `INTERNAL_SERVER_ERROR` (nor `SERVICE_UNAVAILABLE` or
`TIMEOUT`: Neo4j is healthy then); the media type the `Accept` header asked for; a JSON object
with `data` and/or a non-empty `errors` of objects with `message` and `extensions.code`; the
statuses of docs/operations.md (under `application/graphql-response+json` no `data` is a 4xx,
`data` a 200; under `application/json` a 200 unless the request is malformed). And the store's
fingerprint (nodes per label set, relationships per type, their properties, versions and
latest `updatedAt`) must be the same after every request that only read or was refused (a
request error, or every mutation in it null or with payload errors) as before it. The seed is
fixed: the same requests every run. *Accepted*: ran in full; *rejected*: refused whole (a
request error, or every mutation refused); *partly*: some of its mutations ran.
"""


COLUMNS = ["role", "requests", "valid", "invalid", "accepted", "rejected", "partly"]
COLUMNS += ["store compared", "HTTP statuses", "error codes"]


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _counts(counts: Mapping[int, int] | Mapping[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in sorted(counts.items(), key=str)) or "-"


def fuzz_section(fuzzed: FuzzFigures) -> list[str]:
    failures = fuzzed.failures
    lines = [
        "",
        "### GraphQL fuzzing",
        HOW,
        f"- {fuzzed.operations} requests asked for, seed {fuzzed.seed}; schema: {fuzzed.schema}",
        f"- failures: **{len(failures)}**",
        *(f"  - `{failure[:300]}`" for failure in failures[:10]),
        "",
        _row(COLUMNS),
        _row(["---"] * len(COLUMNS)),
    ]
    for role, r in fuzzed.roles.items():
        counts = [r.tried, r.valid, r.invalid, r.accepted, r.rejected, r.partial]
        lines.append(
            _row([role, *counts, r.unchanged_checked, _counts(r.statuses), _counts(r.codes)])
        )
    return lines
