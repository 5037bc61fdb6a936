"""What a row of an import changes on what the graph holds: pure functions, per attribute with
the source precedence (docs/import.md, "Source precedence")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.domain import EXTERNAL_ID_SEPARATOR
from graph.imports._model import Observation
from graph.imports._plan import PlannedCI, PlannedRelationship
from graph.imports._precedence import SOURCE_PROPERTY_PREFIX, SourcePrecedence

__all__ = [
    "RELATIONSHIP_ATTRIBUTE",
    "merge_ci",
    "merge_edge",
    "merge_external_ids",
    "new_ci_properties",
    "new_edge_properties",
    "observed_properties",
]

# The precedence of relationship properties (confidence, redundancyGroup) is this attribute's.
RELATIONSHIP_ATTRIBUTE = "relationships"


def merge_external_ids(current: Sequence[str], reported: Sequence[str]) -> list[str]:
    """`current` with the reported entries in: a reported entry replaces every entry of its
    source (a source has one id per CI); the order of what stays is kept."""
    sources = {entry.split(EXTERNAL_ID_SEPARATOR, 1)[0] for entry in reported}
    merged: list[str] = []
    for entry in current:
        source = entry.split(EXTERNAL_ID_SEPARATOR, 1)[0]
        if (source not in sources or entry in reported) and entry not in merged:
            merged.append(entry)
    merged += [entry for entry in reported if entry not in merged]
    return merged


def merge_ci(
    planned: PlannedCI, stored: dict[str, Any], source: str, precedence: SourcePrecedence
) -> dict[str, Any]:
    """The properties to change on an existing CI (empty: the row changes nothing).

    Per attribute the row states: a different value is written when `source` may overwrite
    the recorded source; an equal value is claimed (its recorded source set to `source`) when
    `source` outranks the recorded one (see `SourcePrecedence.outranks`)."""
    changes: dict[str, Any] = {}
    for attribute in planned.given:
        value = planned.properties[attribute]
        recorded = stored.get(SOURCE_PROPERTY_PREFIX + attribute)
        if stored.get(attribute) == value:
            if precedence.outranks(source, recorded, attribute):
                changes[SOURCE_PROPERTY_PREFIX + attribute] = source
        elif precedence.may_overwrite(source, recorded, attribute):
            changes[attribute] = value
            if recorded != source:
                changes[SOURCE_PROPERTY_PREFIX + attribute] = source
    current_ids = list(stored.get("externalIds") or [])
    external_ids = merge_external_ids(current_ids, planned.external_ids)
    if external_ids != current_ids:
        changes["externalIds"] = external_ids
    return changes


def new_ci_properties(planned: PlannedCI, source: str) -> dict[str, Any]:
    """The properties of a CI the import creates, with the source of every stated value."""
    properties = dict(planned.properties)
    if planned.external_ids:
        properties["externalIds"] = list(planned.external_ids)
    properties.update({SOURCE_PROPERTY_PREFIX + key: source for key in planned.given})
    return properties


def merge_edge(
    planned: PlannedRelationship,
    current: dict[str, Any],
    source: str,
    precedence: SourcePrecedence,
) -> dict[str, Any]:
    """The properties to change on an existing edge the row confirms (empty: only
    `lastConfirmedAt` is refreshed). The edge's `source` is the source of its properties.

    An observation (`planned.observation`) sets the edge's call counts and `observedBy`, and
    never overwrites what another source declared: the declared confidence and group stay.
    A declaration of an edge known only by observation takes its provenance over."""
    reported: dict[str, Any] = {}
    recorded = current.get("source")
    observation = planned.observation
    if observation is None or recorded == source:
        if planned.confidence is not None:
            reported["confidence"] = planned.confidence
        if planned.redundancy_group is not None:
            reported["redundancyGroup"] = planned.redundancy_group
    changes = {key: value for key, value in reported.items() if current.get(key) != value}
    observed_only = recorded is not None and recorded == current.get("observedBy")
    if observation is None and observed_only and recorded != source:
        changes.setdefault("source", source)
    if changes and precedence.may_overwrite(source, recorded, RELATIONSHIP_ATTRIBUTE):
        if recorded != source:
            changes["source"] = source
    else:
        changes = {}
    if observation is not None:
        counted = observed_properties(observation, source)
        changes.update({k: v for k, v in counted.items() if current.get(k) != v})
    return changes


def observed_properties(observation: Observation, source: str) -> dict[str, Any]:
    """What an observation records on its edge (`observedAt` is the write's time)."""
    properties: dict[str, Any] = {"callCount": observation.calls, "observedBy": source}
    if observation.errors is not None:
        properties["errorCount"] = observation.errors
    return properties


def new_edge_properties(planned: PlannedRelationship, source: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "source": source,
        "confidence": planned.confidence if planned.confidence is not None else 1.0,
    }
    if planned.redundancy_group is not None:
        properties["redundancyGroup"] = planned.redundancy_group
    if planned.observation is not None:
        properties.update(observed_properties(planned.observation, source))
    return properties
