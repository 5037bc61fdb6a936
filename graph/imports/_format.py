"""The import format as files: rows from a file's fields, and the JSON document
(`{"source", "cis", "relationships"}`, the format of graph/imports/demo/demo.json); CSV is in
`_import_csv`. docs/import.md is the reference.

Reading keeps each row's line, so that a bad row is reported where its author can find it;
writing is deterministic, so that exporting twice gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from graph.domain import ATTRIBUTE_PREFIX, MIN_OPERATIONAL_PREFIX, ExternalId, NewCI
from graph.errors import FieldError, InvalidInput
from graph.imports._capacity import read_capacity
from graph.imports._model import ImportCI, ImportRelationship, ImportRequest

__all__ = [
    "CI_COLUMNS",
    "CSV_PREFIXES",
    "MAPS",
    "RELATIONSHIP_COLUMNS",
    "ci_row",
    "document_as_json",
    "file_error",
    "read_json",
    "relationship_row",
]

# Plain fields of a CI row, in the order files show them; NewCI's field for each.
_TEXT_FIELDS = {
    "name": "name",
    "class": "ci_class",
    "description": "description",
    "status": "status",
    "environment": "environment",
    "owner": "owner",
    "supportGroup": "support_group",
    "serialNumber": "serial_number",
    "hostname": "hostname",
    "fqdn": "fqdn",
    "ipAddress": "ip_address",
    "monthlyCost": "monthly_cost",
}
CI_COLUMNS = (
    "externalId",
    "name",
    "class",
    "description",
    "status",
    "environment",
    "criticality",
    "owner",
    "supportGroup",
    "serialNumber",
    "hostname",
    "fqdn",
    "ipAddress",
    "monthlyCost",
)
MAPS = ("attributes", "externalIds", "minOperational")
# CSV spells the maps as one column per key: `attr.rto`, `externalIds.servicenow`, ...
# The attribute and pool columns are spelled as the properties they are stored in.
CSV_PREFIXES = {
    ATTRIBUTE_PREFIX: "attributes",
    "externalIds.": "externalIds",
    MIN_OPERATIONAL_PREFIX: "minOperational",
}
RELATIONSHIP_COLUMNS = ("from", "to", "type", "redundancyGroup", "confidence")
_DOCUMENT_KEYS = {"source", "cis", "relationships"}


def file_error(message: str) -> InvalidInput:
    return InvalidInput([FieldError("file", message, "INVALID_FORMAT")])


# -- rows ------------------------------------------------------------------------------------


def _text(name: str, value: Any, problems: list[FieldError]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    problems.append(FieldError(name, f"{name} must be text", "INVALID_FORMAT"))
    return None


def _whole(name: str, value: Any, problems: list[FieldError]) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    problems.append(
        FieldError(name, f"{name} must be a whole number, got {value!r}", "INVALID_FORMAT")
    )
    return None


def _map(name: str, value: Any, problems: list[FieldError]) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        return {str(key): item for key, item in value.items() if item is not None and item != ""}
    problems.append(FieldError(name, f"{name} must be an object", "INVALID_FORMAT"))
    return {}


def ci_row(values: Mapping[str, Any], line: int | None = None) -> ImportCI:
    """A CI row from a file's fields; values of the wrong type become the row's parse
    errors, reported with the validation errors."""
    problems: list[FieldError] = [
        FieldError(key, f"unknown field '{key}'", "INVALID_VALUE")
        for key in values
        if key not in CI_COLUMNS and key not in MAPS and key != "capacity"
    ]
    text = {field: _text(key, values.get(key), problems) for key, field in _TEXT_FIELDS.items()}
    attributes = {
        key: _text(f"attributes.{key}", item, problems) or ""
        for key, item in _map("attributes", values.get("attributes"), problems).items()
    }
    external_ids = {
        key: _text(f"externalIds.{key}", item, problems) or ""
        for key, item in _map("externalIds", values.get("externalIds"), problems).items()
    }
    minimums = {
        key: _whole(f"minOperational.{key}", item, problems)
        for key, item in _map("minOperational", values.get("minOperational"), problems).items()
    }
    capacity = read_capacity(values.get("capacity"), problems)
    ci = NewCI(
        **text,
        criticality=_whole("criticality", values.get("criticality"), problems),
        external_ids=tuple(ExternalId(source, key) for source, key in external_ids.items()),
        attributes=tuple(attributes.items()),
    )
    return ImportCI(
        ci=ci,
        external_id=_text("externalId", values.get("externalId"), problems),
        min_operational=tuple((g, n) for g, n in minimums.items() if n is not None),
        line=line,
        parse_errors=tuple(problems),
        capacity=capacity,
    )


def relationship_row(values: Mapping[str, Any], line: int | None = None) -> ImportRelationship:
    problems: list[FieldError] = [
        FieldError(key, f"unknown field '{key}'", "INVALID_VALUE")
        for key in values
        if key not in RELATIONSHIP_COLUMNS
    ]
    confidence: float | None = None
    raw = values.get("confidence")
    if raw is not None and raw != "":
        try:
            if isinstance(raw, bool):
                raise ValueError(raw)
            confidence = float(raw)
        except (TypeError, ValueError):
            problems.append(
                FieldError(
                    "confidence", f"confidence must be a number, got {raw!r}", "INVALID_FORMAT"
                )
            )
    return ImportRelationship(
        from_ref=_text("from", values.get("from"), problems),
        to_ref=_text("to", values.get("to"), problems),
        type=_text("type", values.get("type"), problems),
        redundancy_group=_text("redundancyGroup", values.get("redundancyGroup"), problems),
        confidence=confidence,
        line=line,
        parse_errors=tuple(problems),
    )


# -- JSON ------------------------------------------------------------------------------------


class _Lines:
    """Line numbers of increasing offsets, counted as the offsets go (str.count runs in C)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def of(self, offset: int) -> int:
        if offset < self._offset:
            self._offset, self._line = 0, 1
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _walk_document(text: str) -> dict[str, tuple[Any, list[int] | None]]:
    """The top-level object's members; for an array member, also the offset of each element
    (json.loads does not say where a value was)."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    members: dict[str, tuple[Any, list[int] | None]] = {}
    index = _skip_space(text, 0)
    if not text.startswith("{", index):
        raise json.JSONDecodeError("expected an object", text, index)
    index = _skip_space(text, index + 1)
    while not text.startswith("}", index):
        key, index = decoder.raw_decode(text, index)
        index = _skip_space(text, index)
        if not isinstance(key, str) or not text.startswith(":", index):
            raise json.JSONDecodeError("expected a member name and ':'", text, index)
        index = _skip_space(text, index + 1)
        if text.startswith("[", index):
            items: list[Any] = []
            offsets: list[int] = []
            index = _skip_space(text, index + 1)
            while not text.startswith("]", index):
                offsets.append(index)
                item, index = decoder.raw_decode(text, index)
                items.append(item)
                index = _skip_space(text, index)
                if text.startswith(",", index):
                    index = _skip_space(text, index + 1)
                elif not text.startswith("]", index):
                    raise json.JSONDecodeError("expected ',' or ']'", text, index)
            members[key] = (items, offsets)
            index += 1
        else:
            value, index = decoder.raw_decode(text, index)
            members[key] = (value, None)
        index = _skip_space(text, index)
        if text.startswith(",", index):
            index = _skip_space(text, index + 1)
        elif not text.startswith("}", index):
            raise json.JSONDecodeError("expected ',' or '}'", text, index)
    if _skip_space(text, index + 1) != len(text):
        raise json.JSONDecodeError("extra data after the document", text, index + 1)
    return members


def read_json(text: str, source: str | None = None, skip_invalid: bool = False) -> ImportRequest:
    """An import from a JSON document; `source` overrides the document's. Raises
    `InvalidInput` (field `file`) when the text is not such a document."""
    try:
        members = _walk_document(text)
    except json.JSONDecodeError as error:
        raise file_error(f"not valid JSON at line {error.lineno}: {error.msg}") from error
    unknown = sorted(set(members) - _DOCUMENT_KEYS)
    if unknown:
        raise file_error(
            f"unknown member(s) {', '.join(unknown)}; expected source, cis, relationships"
        )
    lines = _Lines(text)
    rows: dict[str, list[tuple[Any, int]]] = {}
    for name in ("cis", "relationships"):
        items, offsets = members.get(name, ([], []))
        if offsets is None or any(not isinstance(item, dict) for item in items):
            raise file_error(f"'{name}' must be an array of objects")
        rows[name] = [(item, lines.of(offset)) for item, offset in zip(items, offsets, strict=True)]
    named = members.get("source", (None, None))[0]
    if source is None and not isinstance(named, str):
        raise file_error("the document has no 'source' (or give one)")
    return ImportRequest(
        source=source if source is not None else str(named),
        cis=[ci_row(item, line) for item, line in rows["cis"]],
        relationships=[relationship_row(item, line) for item, line in rows["relationships"]],
        skip_invalid=skip_invalid,
    )


# -- writing ---------------------------------------------------------------------------------


def document_as_json(document: Mapping[str, Any]) -> str:
    """The document as the JSON file: two-space indent, UTF-8 text kept, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
