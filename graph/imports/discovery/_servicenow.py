"""A ServiceNow export (`cmdb_ci` and `cmdb_rel_ci`, CSV or JSON) to one import
(docs/discovery.md, "ServiceNow")."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph.errors import FieldError, InvalidInput
from graph.imports.discovery._model import Discovery, PoolRule, Rows, Unresolved, ci_row, edge_row
from graph.imports.discovery._tables import (
    servicenow_class,
    servicenow_relationship,
    servicenow_status,
)

__all__ = ["map_servicenow", "servicenow_records"]

Record = Mapping[str, str]

# Export columns -> import fields.
_FIELDS = {
    "serial_number": "serial_number",
    "fqdn": "fqdn",
    "ip_address": "ip_address",
    "host_name": "hostname",
}


def _value(raw: Any) -> str:
    """A cell as text: JSON exports may give `{"value": ..., "display_value": ...}`."""
    if isinstance(raw, Mapping):
        raw = raw.get("value", raw.get("display_value"))
    return "" if raw is None else str(raw).strip()


def servicenow_records(text: str, json_format: bool) -> list[dict[str, str]]:
    """The records of an export file: CSV with a header row, or JSON (a list, or the
    `records` of the JSONv2 processor, or the `result` of the Table API). `InvalidInput`
    (field `file`) when it is neither."""
    if not json_format:
        return [
            {key.strip(): _value(value) for key, value in row.items() if key}
            for row in csv.DictReader(io.StringIO(text))
        ]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput([FieldError("file", f"not JSON: {error}", "INVALID_FORMAT")]) from error
    if isinstance(document, Mapping):
        document = document.get("records", document.get("result"))
    if not isinstance(document, list):
        raise InvalidInput(
            [
                FieldError(
                    "file", "a ServiceNow JSON export holds a list of records", "INVALID_FORMAT"
                )
            ]
        )
    return [{str(k): _value(v) for k, v in r.items()} for r in document if isinstance(r, Mapping)]


def map_servicenow(
    cis: Sequence[Record],
    relationships: Iterable[Record],
    source: str,
    pools: PoolRule | None = None,
) -> Discovery:
    """The import of `cmdb_ci` records (`sys_id` the external id, `sys_class_name` by the
    table) and `cmdb_rel_ci` records (type descriptors by the table, "Members::Member of" as
    a pool). Pure: O(records)."""
    pools = pools or PoolRule()
    rows = Rows()
    edges: list[tuple[str, str, str, str | None]] = []
    skipped: set[str] = set()
    for record in relationships:
        parent, child, kind = (record.get(k, "") for k in ("parent", "child", "type"))
        mapped = servicenow_relationship(kind)
        if mapped is None:
            rows.unresolved_once(
                Unresolved(f"cmdb_rel_ci {parent} -> {child}", kind, "no relationship type maps it")
            )
        elif parent and child:
            edges.append((parent, child, *mapped))
    members = Counter(parent for parent, _, _, pool in edges if pool)
    for record in cis:
        sys_id, class_name = record.get("sys_id", ""), record.get("sys_class_name", "")
        ci_class = servicenow_class(class_name)
        if ci_class is None:
            skipped.add(sys_id)
            rows.unresolved_once(
                Unresolved(
                    f"cmdb_ci {sys_id} {record.get('name', '')}",
                    class_name,
                    "no CMDB class maps it",
                )
            )
            continue
        fields = {field: record[column] for column, field in _FIELDS.items() if record.get(column)}
        status = servicenow_status(record.get("operational_status", ""))
        if status:
            fields["status"] = status
        pool_groups = {pool for parent, _, _, pool in edges if pool and parent == sys_id}
        minimum = {pool: pools.needed(members[sys_id]) for pool in pool_groups}
        attributes = {"sys_class_name": class_name}
        rows.add_ci(
            ci_row(
                sys_id,
                record.get("name") or sys_id,
                ci_class,
                attributes,
                min_operational=minimum or None,
                fields=fields,
            )
        )
    for parent, child, relation, pool in edges:
        if parent in skipped or child in skipped:
            continue  # reported with its CI
        rows.add_edge(edge_row(parent, child, relation, redundancy_group=pool))
    return rows.discovery(source)
