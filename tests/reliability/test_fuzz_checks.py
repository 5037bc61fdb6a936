"""The fuzzing's judge (tests/reliability/fuzz_checks.py) on answers made by hand: it must see
every kind of bad answer the fuzzing looks for, and pass the good ones."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import orjson

from tests.reliability.fuzz import FuzzFigures, RoleFigures
from tests.reliability.fuzz_checks import (
    GRAPHQL_RESPONSE,
    JSON,
    Answer,
    Request,
    outcome,
    problems,
)

QUERY = Request("valid query", True, False, b'{"query": "{ viewer { name } }"}', JSON)
STRICT = Request("valid query", True, False, QUERY.body, GRAPHQL_RESPONSE)
MUTATION = Request("valid mutation", True, True, b"{}", JSON)
REQUEST_ERROR = {"errors": [{"message": "x", "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]}


def answer(body: Any, status: int = 200, media: str = JSON) -> Answer:
    return Answer(status, f"{media}; charset=utf-8", orjson.dumps(body))


def test_a_good_answer_and_a_request_error_under_either_media_type_pass() -> None:
    assert problems(QUERY, answer({"data": {"viewer": {"name": "a"}}})) == []
    assert problems(QUERY, answer({"data": None, **REQUEST_ERROR})) == []
    assert problems(STRICT, answer(REQUEST_ERROR, 400, GRAPHQL_RESPONSE)) == []


def test_a_5xx_and_a_masked_fault_are_failures() -> None:
    assert problems(QUERY, answer(REQUEST_ERROR, 500)) != []
    masked = {"message": "Internal server error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    found = problems(QUERY, answer({"data": None, "errors": [masked]}))
    assert found == ["error code 'INTERNAL_SERVER_ERROR': 'Internal server error.'"]


def test_statuses_and_media_types_follow_graphql_over_http() -> None:
    assert problems(STRICT, answer({"data": None, **REQUEST_ERROR}, 400, GRAPHQL_RESPONSE)) == [
        "HTTP 400 with `data`"
    ]
    assert problems(STRICT, answer(REQUEST_ERROR, 200, GRAPHQL_RESPONSE)) == [
        "HTTP 200 without `data`"
    ]
    assert problems(STRICT, answer({"data": {"viewer": None}})) == [
        "media type 'application/json; charset=utf-8', not application/graphql-response+json"
    ]
    assert problems(QUERY, answer({"data": {}}, 201)) == ["HTTP 201 with `data`"]


def test_malformed_errors_and_members_are_failures() -> None:
    assert problems(QUERY, answer({"errors": []})) != []
    assert problems(QUERY, answer({"errors": [{"extensions": {"code": "BAD_USER_INPUT"}}]})) != []
    assert problems(QUERY, answer({"data": {}, "extra": 1})) == ["members ['data', 'extra']"]
    assert problems(QUERY, Answer(200, JSON, b"[]")) != []


def test_a_mutation_is_rejected_only_when_every_field_was_refused() -> None:
    refused = {"fuzzErrors": [{"code": "NOT_FOUND"}]}
    assert outcome(MUTATION, {"data": {"a": refused, "b": None}}) == "rejected"
    assert outcome(MUTATION, {"data": {"a": refused, "b": {"fuzzErrors": []}}}) == "partial"
    assert outcome(MUTATION, {"data": {"a": {"fuzzErrors": []}}}) == "accepted"
    assert outcome(MUTATION, REQUEST_ERROR) == "rejected"
    assert outcome(QUERY, {"data": {"viewer": None}}) == "accepted"


def test_the_figures_are_json_with_every_count_as_it_was() -> None:
    role = RoleFigures(tried=2, statuses=Counter({200: 1, 400: 1}), kinds=Counter({"a": 2}))
    figures = FuzzFigures(0, 2, "schema", {"viewer": role})
    recorded = json.loads(json.dumps(figures.as_dict()))
    assert recorded["roles"]["viewer"]["statuses"] == {"200": 1, "400": 1}
    assert recorded["roles"]["viewer"]["kinds"] == {"a": 2}
    assert recorded["failures"] == 0
