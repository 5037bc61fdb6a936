"""Observed dependencies: a Jaeger `/api/dependencies` document or the OpenTelemetry
service-graph metrics (Prometheus text) to one import of observed edges
(docs/discovery.md, "Observed dependencies")."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

from graph.errors import FieldError, InvalidInput
from graph.imports._model import Observation
from graph.imports.discovery._model import Discovery, Rows, Unresolved, edge_row

__all__ = [
    "ObservedCall",
    "confidence_of_calls",
    "map_traces",
    "read_jaeger",
    "read_service_graph",
]

REQUESTS = "traces_service_graph_request_total"
FAILED = "traces_service_graph_request_failed_total"


@dataclass(frozen=True)
class ObservedCall:
    caller: str
    callee: str
    calls: int
    errors: int | None = None


def _bad(message: str) -> InvalidInput:
    return InvalidInput([FieldError("file", message, "INVALID_FORMAT")])


def read_jaeger(text: str) -> list[ObservedCall]:
    """The links of a Jaeger `/api/dependencies` answer (`{"data": [...]}` or the list):
    `parent` calls `child` `callCount` times. Jaeger counts no errors."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _bad(f"not JSON: {error}") from error
    links = document.get("data") if isinstance(document, Mapping) else document
    if not isinstance(links, list):
        raise _bad("a Jaeger dependencies document holds a list of links in `data`")
    calls = []
    for link in links:
        if isinstance(link, Mapping) and link.get("parent") and link.get("child"):
            count = link.get("callCount", 0)
            if not isinstance(count, int) or count < 0:
                raise _bad(f"callCount of {link['parent']} -> {link['child']} is not a count")
            calls.append(ObservedCall(str(link["parent"]), str(link["child"]), count))
    return _summed(calls)


def read_service_graph(text: str) -> list[ObservedCall]:
    """The `traces_service_graph_request_total` and `..._failed_total` counters of the
    OpenTelemetry service-graph connector (or Tempo's generator), summed over their other
    labels, per `client` and `server`."""
    requests: dict[tuple[str, str], float] = {}
    failed: dict[tuple[str, str], float] = {}
    try:
        families = list(text_string_to_metric_families(text))
    except ValueError as error:
        raise _bad(f"not Prometheus text: {error}") from error
    for family in families:
        for sample in family.samples:
            into = {REQUESTS: requests, FAILED: failed}.get(sample.name)
            client, server = sample.labels.get("client"), sample.labels.get("server")
            if into is not None and client and server:
                into[(client, server)] = into.get((client, server), 0.0) + sample.value
    return [
        ObservedCall(client, server, int(count), int(failed.get((client, server), 0)))
        for (client, server), count in requests.items()
    ]


def _summed(calls: Iterable[ObservedCall]) -> list[ObservedCall]:
    total: dict[tuple[str, str], int] = {}
    for call in calls:
        total[(call.caller, call.callee)] = total.get((call.caller, call.callee), 0) + call.calls
    return [ObservedCall(a, b, n) for (a, b), n in total.items()]


def confidence_of_calls(calls: int) -> float:
    """How sure an observation is, by its call count: 0.5 for one call, +0.15 per tenfold,
    at most 0.95 (1,000 calls or more). An observation never reaches the certainty of a
    declaration."""
    if calls < 1:
        return 0.0
    return round(min(0.95, 0.5 + 0.15 * math.log10(calls)), 2)


def map_traces(
    calls: Iterable[ObservedCall],
    ci_of_service: Mapping[str, str],
    source: str,
    ambiguous: Mapping[str, int] | None = None,
) -> Discovery:
    """The import of the observed calls as DEPENDS_ON edges from caller to callee, each with
    its counts (`Observation`) and a confidence from its call count. `ci_of_service` names
    the CI of each service name (lower-case) found in the graph; other names are unresolved
    and create nothing (`ambiguous`: names several CIs hold). Calls counted zero times are
    left out. Pure: O(calls)."""
    rows = Rows()
    for call in calls:
        if call.calls < 1:
            continue
        ends = []
        for service in (call.caller, call.callee):
            ci_id = ci_of_service.get(service.lower())
            if ci_id is None:
                where = f"{call.caller} -> {call.callee}"
                several = (ambiguous or {}).get(service.lower())
                reason = f"names {several} CIs" if several else "names no CI of the graph"
                rows.unresolved_once(Unresolved(where, service, reason))
            ends.append(ci_id)
        if ends[0] and ends[1]:
            rows.add_edge(
                edge_row(
                    ends[0],
                    ends[1],
                    confidence=confidence_of_calls(call.calls),
                    observation=Observation(call.calls, call.errors),
                )
            )
    return rows.discovery(source)
