"""Host names in configuration values: what an environment variable or a ConfigMap entry says
about where another service is (docs/discovery.md, "Dependencies from configuration")."""

from __future__ import annotations

import re

__all__ = ["cluster_service", "host_references"]

# A URL's host (also `jdbc:postgresql://host` and `user:secret@host`).
_URL = re.compile(r"[a-z][a-z0-9+.-]*://(?:[^@/\s]*@)?([a-z0-9][a-z0-9.-]*)", re.IGNORECASE)
_HOST_PORT = re.compile(r"^([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*):\d{1,5}$", re.IGNORECASE)
_NAME = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*$", re.IGNORECASE)
_CLUSTER_NAME = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+\.svc(?:\.[a-z0-9.-]+)?$", re.IGNORECASE)
# Keys whose value is a host even when it is a bare name: REDIS_HOST, DB_ADDR, KAFKA_BROKERS.
_HOST_KEY = re.compile(
    r"(?:^|[_.-])(host|hostname|addr|address|url|uri|endpoint|server|servers|brokers?|dsn)$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s,;\"'=]+")


def host_references(key: str, value: str) -> list[str]:
    """The host names `value` names, lower-case, in order, without repeats: a URL's host, the
    host of `host:port`, a cluster DNS name (`svc.namespace.svc.cluster.local`), and, under a
    key that names a host (`*_HOST`, `*_URL`, `*_ADDR`, ...), a bare or dotted name. Pure."""
    hosts: list[str] = []
    host_key = bool(_HOST_KEY.search(key.strip()))
    for token in _SEPARATORS.split(value):
        token = token.strip().rstrip("/")
        if not token or token.startswith("$("):
            continue
        found = [match.group(1) for match in _URL.finditer(token)]
        if not found and (port := _HOST_PORT.match(token)):
            found = [port.group(1)]
        if not found and _NAME.match(token) and (host_key or _CLUSTER_NAME.match(token)):
            found = [token]
        for host in found:
            host = host.lower().rstrip(".")
            if host not in hosts and not host.replace(".", "").isdigit():
                hosts.append(host)
    return hosts


def cluster_service(host: str, namespace: str) -> tuple[str, str] | None:
    """(service, namespace) a host names inside a Kubernetes cluster seen from `namespace`:
    `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<cluster domain>`; None for other names."""
    labels = host.split(".")
    if len(labels) == 1:
        return labels[0], namespace
    if len(labels) == 2 or labels[2] == "svc":
        return labels[0], labels[1]
    return None
