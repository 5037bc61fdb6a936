"""Invalid requests made from valid ones (tests/reliability/fuzz_cases.py): documents garbled
by a cut, a stray token or an unknown name, and requests that break GraphQL over HTTP itself
(a body that is not JSON, `query` not a string, a batch, variables of the wrong type, an unknown
`operationName`, a mutation over GET, a content type that is not JSON)."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import strategies as st

from tests.reliability.fuzz_checks import Request

__all__ = ["garbage_requests", "mangled_documents"]

TOKENS = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ":",
    "$",
    "$x",
    "...",
    "@skip",
    "@include(if:$y)",
    '"',
    '"""',
    "#",
    "!",
    "=",
    "|",
    "&",
    "query",
    "mutation",
    "null",
    "0x1",
    "1e999",
    "-",
    ",",
    "\\u0000",
    "\x00",
    "\ufeff",
    "__typename",
    "__schema",
    "fragment F on Query",
]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
GARBAGE = [
    "variables",
    "not json",
    "query not a string",
    "batch",
    "variables not an object",
    "operation name",
    "get",
    "content type",
    "empty",
    "extensions",
]
VARIABLES = ["s", "n", "id", "f", "from", "to", "input", "extra"]
NAME = re.compile(r"\b[_A-Za-z][_0-9A-Za-z]*\b")
VARIABLE_DOCUMENTS = [
    "query Q($s: String, $n: Int) { cis(filter: {search: $s}, first: $n) { totalCount } }",
    "query Q($id: ID!) { ci(id: $id) { id name } }",
    "query Q($f: IncidentFilter, $n: Int) { incidents(filter: $f, first: $n) { totalCount } }",
    "query Q($from: DateTime!, $to: DateTime!) { changeSchedule(from: $from, to: $to) "
    "{ changes { number } } }",
    "mutation M($input: CreateCIInput!) { createCI(input: $input) "
    "{ ci { id } fuzzErrors: errors { code } } }",
    "mutation M($input: CreateIncidentInput!) { createIncident(input: $input) "
    "{ incident { number } fuzzErrors: errors { code } } }",
]


def _dumps(value: Any) -> bytes:
    """JSON of `value`; integers of any size (orjson stops at 64 bits)."""
    return json.dumps(value).encode()


def _request(kind: str, body: bytes, accept: str | None, **extra: Any) -> Request:
    return Request(f"invalid: {kind}", False, True, body, accept, **extra)


@st.composite
def mangled_documents(draw: st.DrawFn, documents: st.SearchStrategy[str]) -> Request:
    """A valid document with one thing broken: a cut, a stray token, a misspelt name."""
    text = draw(documents)
    how = draw(st.sampled_from(["cut", "token", "rename", "truncate"]))
    at = draw(st.integers(0, len(text)))
    if how == "cut":
        text = text[:at] + text[at + draw(st.integers(1, 20)) :]
    elif how == "token":
        text = text[:at] + f" {draw(st.sampled_from(TOKENS))} " + text[at:]
    elif how == "rename":
        names = NAME.findall(text)
        if names:
            old = draw(st.sampled_from(names))
            new = draw(st.sampled_from([old + "X", old[:-1] or "x", "unknownField", "__type"]))
            text = re.sub(rf"\b{re.escape(old)}\b", new, text, count=1)
    else:
        text = text[:at]
    accept = draw(st.sampled_from([None, "application/json", "application/graphql-response+json"]))
    # May write: a cut can leave a smaller mutation that is still valid.
    return _request(f"mangled document ({how})", _dumps({"query": text}), accept)


@st.composite
def garbage_requests(draw: st.DrawFn, documents: st.SearchStrategy[str]) -> Request:
    """A request that GraphQL over HTTP refuses, or whose variables do not fit."""
    document = draw(documents)
    accept = draw(st.sampled_from([None, "application/json", "application/graphql-response+json"]))
    how = draw(st.sampled_from(GARBAGE))
    if how == "variables":
        query = draw(st.sampled_from(VARIABLE_DOCUMENTS))
        variables = draw(st.dictionaries(st.sampled_from(VARIABLES), JSON_VALUES))
        body = _dumps({"query": query, "variables": variables})
        return _request("variables of the wrong type", body, accept)
    if how == "not json":
        body = draw(st.sampled_from([document.encode(), b"{", b"[1,", b'{"query": }', b"\xff"]))
    elif how == "query not a string":
        body = _dumps({"query": draw(JSON_VALUES.filter(lambda v: not isinstance(v, str)))})
    elif how == "batch":
        body = _dumps([{"query": document}, {"query": document}])
    elif how == "variables not an object":
        value = draw(JSON_VALUES.filter(lambda v: not isinstance(v, dict) and v is not None))
        body = _dumps({"query": document, "variables": value})
    elif how == "operation name":
        name = draw(st.one_of(st.text(max_size=10), JSON_VALUES))
        body = _dumps({"query": document, "operationName": name})
    elif how == "get":
        params = {"query": document}
        return _request("GET", b"", accept, method="GET", params=params)
    elif how == "content type":
        kind = draw(st.sampled_from(["text/plain", "application/xml", "multipart/form-data"]))
        body = _dumps({"query": document})
        return _request("content type", body, accept, content_type=kind)
    elif how == "extensions":
        body = _dumps({"query": document, "extensions": draw(JSON_VALUES)})
    else:
        body = b""
    return _request(how, body, accept)
