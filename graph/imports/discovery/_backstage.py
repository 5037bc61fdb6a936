"""A Backstage catalog (`catalog-info.yaml` files, or the catalog API's JSON) to one import
(docs/discovery.md, "Backstage")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.domain import CIClass, RelationType, allowed
from graph.imports.discovery._model import Discovery, Rows, Unresolved, ci_row, edge_row
from graph.imports.discovery._tables import backstage_class

__all__ = ["entity_ref", "map_backstage"]

# Relation name (as the catalog API spells it) -> the spec field and the default kind of it.
_SPEC_RELATIONS = {
    "dependsOn": ("dependsOn", "component"),
    "consumesApi": ("consumesApis", "api"),
    "providesApi": ("providesApis", "api"),
    "partOf": ("system", "system"),
    "subcomponentOf": ("subcomponentOf", "component"),
}

Doc = Mapping[str, Any]


def entity_ref(ref: str, default_kind: str, default_namespace: str = "default") -> str:
    """`kind:namespace/name`, lower-case, with the defaults filled in."""
    text = ref.strip().lower()
    kind, _, rest = text.rpartition(":") if ":" in text else (default_kind, "", text)
    namespace, _, name = rest.rpartition("/") if "/" in rest else (default_namespace, "", rest)
    return f"{kind or default_kind}:{namespace or default_namespace}/{name}"


def _entities(documents: Iterable[Any]) -> list[Doc]:
    found: list[Doc] = []
    for document in documents:
        if isinstance(document, list):
            found += _entities(document)
        elif isinstance(document, Mapping) and "items" in document and "kind" not in document:
            found += _entities(document.get("items") or [])
        elif isinstance(document, Mapping) and document.get("kind"):
            found.append(document)
    return found


def _own_ref(entity: Doc) -> str:
    metadata = entity.get("metadata") or {}
    return entity_ref(
        f"{entity['kind']}:{metadata.get('namespace') or 'default'}/{metadata.get('name', '')}",
        str(entity["kind"]),
    )


def _related(entity: Doc) -> list[tuple[str, str]]:
    """(relation, target ref) from the spec and, for the catalog API's JSON, `relations`."""
    spec = entity.get("spec") or {}
    namespace = (entity.get("metadata") or {}).get("namespace") or "default"
    found: list[tuple[str, str]] = []
    for relation, (field, kind) in _SPEC_RELATIONS.items():
        value = spec.get(field)
        for target in [value] if isinstance(value, str) else value or []:
            found.append((relation, entity_ref(str(target), kind, namespace)))
    for relation in entity.get("relations") or []:
        known = _SPEC_RELATIONS.get(str(relation.get("type")))
        if known is not None and relation.get("targetRef"):
            target = entity_ref(str(relation["targetRef"]), known[1])
            found.append((str(relation["type"]), target))
    return list(dict.fromkeys(found))


def map_backstage(documents: Iterable[Any], source: str) -> Discovery:
    """The import of the catalog's Components, Resources, Systems and APIs, owned by their
    Groups, with `dependsOn`, `consumesApis`/`providesApis` and `partOf` (`spec.system`,
    `subcomponentOf`) as relationships. Pure: O(entities + relations)."""
    entities = _entities(documents)
    groups = {
        _own_ref(e): str(
            ((e.get("spec") or {}).get("profile") or {}).get("displayName")
            or (e.get("metadata") or {}).get("title")
            or (e.get("metadata") or {}).get("name")
        )
        for e in entities
        if str(e["kind"]).lower() == "group"
    }
    rows = Rows()
    classes: dict[str, CIClass] = {}
    for entity in entities:
        spec = entity.get("spec") or {}
        ci_class = backstage_class(str(entity["kind"]), spec.get("type"))
        if ci_class is None:
            continue
        metadata = entity.get("metadata") or {}
        ref = _own_ref(entity)
        attributes = {"kind": str(entity["kind"])}
        for key in ("type", "lifecycle"):
            if spec.get(key):
                attributes[key] = str(spec[key])
        if metadata.get("tags"):
            attributes["tags"] = ",".join(str(tag) for tag in metadata["tags"])
        owner = None
        if spec.get("owner"):
            owner_ref = entity_ref(
                str(spec["owner"]), "group", metadata.get("namespace") or "default"
            )
            owner = groups.get(owner_ref, owner_ref.rsplit("/", 1)[-1])
        name = str(metadata.get("title") or metadata.get("name"))
        description = metadata.get("description")
        rows.add_ci(
            ci_row(
                ref,
                name,
                ci_class,
                attributes,
                fields={"owner": owner, "description": str(description) if description else None},
            )
        )
        classes[ref] = CIClass[ci_class]
    for entity in entities:
        ref = _own_ref(entity)
        if ref not in classes:
            continue
        for relation, target in _related(entity):
            if target not in classes:
                rows.unresolved_once(
                    Unresolved(
                        f"{ref} {relation}", target, "no CI entity of the catalog has this ref"
                    )
                )
                continue
            if relation in ("dependsOn", "consumesApi"):
                rows.add_edge(edge_row(ref, target))
            elif relation == "providesApi":
                rows.add_edge(edge_row(target, ref, "PROVIDED_BY"))
            else:  # partOf, subcomponentOf: the whole needs its part
                realised = allowed(RelationType.PROVIDED_BY, classes[target], classes[ref])
                rows.add_edge(edge_row(target, ref, "PROVIDED_BY" if realised else "DEPENDS_ON"))
    return rows.discovery(source)
