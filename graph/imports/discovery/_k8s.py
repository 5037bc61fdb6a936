"""Kubernetes manifests (what `kubectl apply -f` or a rendered Helm chart gives) to one import
(docs/discovery.md, "Kubernetes")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graph.imports.discovery._hosts import cluster_service, host_references
from graph.imports.discovery._model import (
    EXPLICIT,
    FROM_CONFIG,
    FROM_ENVIRONMENT,
    Discovery,
    PoolRule,
    Rows,
    Unresolved,
    ci_row,
    edge_row,
)
from graph.imports.discovery._tables import image_class

__all__ = ["REPLICA_GROUP", "map_kubernetes"]

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet")
REPLICA_GROUP = "replicas"
MAX_ATTRIBUTE_KEY = 64

Doc = Mapping[str, Any]


def _objects(documents: Iterable[Any]) -> list[Doc]:
    """The objects of the documents, `kind: List` unpacked, empty documents skipped."""
    found: list[Doc] = []
    for document in documents:
        if not isinstance(document, Mapping):
            continue
        if str(document.get("kind", "")).endswith("List") and "items" in document:
            found += _objects(document.get("items") or [])
        elif document.get("kind"):
            found.append(document)
    return found


def _meta(obj: Doc) -> tuple[str, str]:
    metadata = obj.get("metadata") or {}
    return str(metadata.get("name", "")), str(metadata.get("namespace") or "default")


def _ref(obj: Doc) -> str:
    name, namespace = _meta(obj)
    return f"{obj['kind']}/{namespace}/{name}"


def _labels(labels: Mapping[str, Any] | None) -> dict[str, str]:
    """Labels as attributes `label.<key>` ('/' becomes '.'; keys over 64 characters left out)."""
    attributes = {}
    for key, value in (labels or {}).items():
        name = "label." + str(key).replace("/", ".")
        if len(name) <= MAX_ATTRIBUTE_KEY:
            attributes[name] = str(value)
    return attributes


def _pod_spec(obj: Doc) -> Doc:
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def _containers(obj: Doc) -> list[Doc]:
    return [c for c in _pod_spec(obj).get("containers") or [] if isinstance(c, Mapping)]


def _replicas(raw: Any) -> int:
    """`spec.replicas`: 1 when absent or not a number (a template left unrendered)."""
    return raw if isinstance(raw, int) and raw >= 0 else 1


class _Manifests:
    def __init__(self, objects: list[Doc], pools: PoolRule) -> None:
        self.rows = Rows()
        self.pools = pools
        self.of_kind = {
            kind: [o for o in objects if o.get("kind") == kind]
            for kind in (*WORKLOADS, "Service", "Ingress", "ConfigMap")
        }
        self.services = {_meta(s): _ref(s) for s in self.of_kind["Service"]}
        self.config_maps = {_meta(c): c.get("data") or {} for c in self.of_kind["ConfigMap"]}

    def map(self) -> None:
        selected: dict[str, set[str]] = {}
        for kind in WORKLOADS:
            for workload in self.of_kind[kind]:
                self.workload(workload)
        for service in self.of_kind["Service"]:
            selected[_ref(service)] = self.service(service)
        for kind in WORKLOADS:
            for workload in self.of_kind[kind]:
                self.configuration(workload, selected)
        for ingress in self.of_kind["Ingress"]:
            self.ingress(ingress)

    def workload(self, obj: Doc) -> None:
        name, namespace = _meta(obj)
        containers = _containers(obj)
        image = str(containers[0].get("image", "")) if containers else ""
        attributes = {
            "namespace": namespace,
            "kind": str(obj["kind"]),
            **_labels((obj.get("metadata") or {}).get("labels")),
        }
        if image:
            attributes["image"] = image
        spec = obj.get("spec") or {}
        replicas = _replicas(spec.get("replicas")) if obj["kind"] != "DaemonSet" else 1
        ref = _ref(obj)
        minimum = {REPLICA_GROUP: self.pools.needed(replicas)} if replicas > 1 else None
        if replicas > 1:
            attributes["replicas"] = str(replicas)
        self.rows.add_ci(ci_row(ref, name, image_class(image), attributes, min_operational=minimum))
        for ordinal in range(replicas if replicas > 1 else 0):
            pod = f"Pod/{namespace}/{name}-{ordinal}"
            pod_attributes = {"namespace": namespace, "kind": "Pod", "workload": ref}
            self.rows.add_ci(ci_row(pod, f"{name}-{ordinal}", "CONTAINER", pod_attributes))
            self.rows.add_edge(edge_row(ref, pod, "RUNS_ON", EXPLICIT, REPLICA_GROUP))

    def service(self, obj: Doc) -> set[str]:
        """Adds the Service; returns the workloads its selector matches."""
        name, namespace = _meta(obj)
        spec = obj.get("spec") or {}
        attributes = {
            "namespace": namespace,
            "kind": "Service",
            **_labels((obj.get("metadata") or {}).get("labels")),
        }
        attributes["type"] = str(spec.get("type") or "ClusterIP")
        if spec.get("externalName"):
            attributes["externalName"] = str(spec["externalName"])
        ref = _ref(obj)
        self.rows.add_ci(ci_row(ref, name, "LOAD_BALANCER", attributes))
        selector = spec.get("selector") or {}
        matched: set[str] = set()
        if not selector:
            return matched
        for kind in WORKLOADS:
            for workload in self.of_kind[kind]:
                labels = ((workload.get("spec") or {}).get("template") or {}).get(
                    "metadata", {}
                ).get("labels") or {}
                same = _meta(workload)[1] == namespace
                if same and all(labels.get(k) == v for k, v in selector.items()):
                    matched.add(_ref(workload))
                    self.rows.add_edge(edge_row(ref, _ref(workload)))
        return matched

    def configuration(self, obj: Doc, selected: dict[str, set[str]]) -> None:
        """DEPENDS_ON the Services that environment values and ConfigMap entries name."""
        name, namespace = _meta(obj)
        ref = _ref(obj)
        for container in _containers(obj):
            for variable in container.get("env") or []:
                key = str(variable.get("name", ""))
                where = f"{obj['kind']} {namespace}/{name} env {key}"
                if "value" in variable:
                    self.refer(
                        ref,
                        namespace,
                        key,
                        str(variable["value"]),
                        where,
                        FROM_ENVIRONMENT,
                        selected,
                    )
                config = ((variable.get("valueFrom") or {}).get("configMapKeyRef")) or {}
                if config:
                    data = self.config_maps.get((str(config.get("name")), namespace), {})
                    entry = str(config.get("key", ""))
                    if entry in data:
                        self.refer(
                            ref, namespace, entry, str(data[entry]), where, FROM_CONFIG, selected
                        )
            for source in container.get("envFrom") or []:
                config_name = (source.get("configMapRef") or {}).get("name")
                if config_name:
                    self.config_map(ref, obj, str(config_name), selected)
        for volume in _pod_spec(obj).get("volumes") or []:
            config_name = (volume.get("configMap") or {}).get("name")
            if config_name:
                self.config_map(ref, obj, str(config_name), selected)

    def config_map(
        self, ref: str, obj: Doc, config_name: str, selected: dict[str, set[str]]
    ) -> None:
        name, namespace = _meta(obj)
        for key, value in self.config_maps.get((config_name, namespace), {}).items():
            where = f"{obj['kind']} {namespace}/{name} ConfigMap {config_name} {key}"
            self.refer(ref, namespace, str(key), str(value), where, FROM_CONFIG, selected)

    def refer(
        self,
        ref: str,
        namespace: str,
        key: str,
        value: str,
        where: str,
        confidence: float,
        selected: dict[str, set[str]],
    ) -> None:
        for host in host_references(key, value):
            named = cluster_service(host, namespace)
            service = self.services.get(named) if named else None
            if service is None:
                reason = "names no Service of the manifests"
                self.rows.unresolved_once(Unresolved(where, host, reason))
            elif ref not in selected.get(service, set()):  # not its own Service
                self.rows.add_edge(edge_row(ref, service, confidence=confidence))

    def ingress(self, obj: Doc) -> None:
        name, namespace = _meta(obj)
        spec = obj.get("spec") or {}
        hosts = [str(rule["host"]) for rule in spec.get("rules") or [] if rule.get("host")]
        attributes = {
            "namespace": namespace,
            "kind": "Ingress",
            **_labels((obj.get("metadata") or {}).get("labels")),
        }
        if hosts:
            attributes["hosts"] = ",".join(hosts)
        if spec.get("ingressClassName"):
            attributes["ingressClass"] = str(spec["ingressClassName"])
        ref = _ref(obj)
        self.rows.add_ci(ci_row(ref, name, "LOAD_BALANCER", attributes))
        backends = [spec.get("defaultBackend") or spec.get("backend") or {}]
        for rule in spec.get("rules") or []:
            backends += [
                p.get("backend") or {} for p in (rule.get("http") or {}).get("paths") or []
            ]
        for backend in backends:
            service = (backend.get("service") or {}).get("name") or backend.get("serviceName")
            if not service:
                continue
            target = self.services.get((str(service), namespace))
            if target is None:
                where = f"Ingress {namespace}/{name} backend"
                self.rows.unresolved_once(
                    Unresolved(where, str(service), "names no Service of the manifests")
                )
            else:
                self.rows.add_edge(edge_row(ref, target))


def map_kubernetes(
    documents: Iterable[Any], source: str, pools: PoolRule | None = None
) -> Discovery:
    """The import of the manifests in `documents` (parsed YAML documents, in file order):
    workloads, their replica pools, Services, Ingresses and the dependencies configuration
    names. Pure: O(objects x workloads)."""
    manifests = _Manifests(_objects(documents), pools or PoolRule())
    manifests.map()
    return manifests.rows.discovery(source)
