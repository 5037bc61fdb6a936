"""Generates an enterprise-shaped CMDB in the import format (docs/import.md), deterministically.

Usage: .venv/bin/python bench/generate.py --scale 10k [--seed 7] [--out bench/out]

Writes `cmdb-<scale>.json` (loadable with `cmdb import`) and `cmdb-<scale>.manifest.json` next
to it, naming the benchmark's start CIs by externalId. The shape is that of a real estate, not a
random graph (edges point from the dependent CI to what it depends on, docs/concepts.md,
"Relationships"):

    business services -PROVIDED_BY-> technical services -PROVIDED_BY-> microservices, applications
    microservices -RUNS_ON-> containers (replica pools) -HOSTED_ON-> k8s worker VMs
    containers -DEPENDS_ON-> clusters -DEPENDS_ON-> control-plane VMs (pools)
    applications, databases, caches, queues -RUNS_ON-> VMs (pools); some databases on bare metal
    VMs -HOSTED_ON-> hypervisors -HOSTED_ON-> racks -HOSTED_ON-> sites
    servers, VMs -CONNECTED_THROUGH-> top-of-rack pairs -> distribution pairs -> the network core
    web and worker VMs -CONNECTED_THROUGH-> load balancers -CONNECTED_THROUGH-> the network core
    technical services -DEPENDS_ON-> load balancer pairs; VMs and hosts -DEPENDS_ON-> storage

Microservices call others of their domain (their technical service) and shared platform
microservices; shared databases, caches, queues and platform microservices are chosen with Zipf
weights, so a few have very high fan-in. Pools carry `minOperational` and their members sit on
different hosts; a few dependency cycles exist; agents (software) fill up to the exact total;
about 4 relationships per CI.
Every edge is checked against the product's class rules, so no row is refused.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

from graph.domain import CIClass, RelationType, allowed

__all__ = ["SCALES", "Generated", "generate", "parse_scale", "write"]

SOURCE = "bench-generator"
SCALES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
# Share of the total per class; containers, VMs, hosts and the network follow from demand.
SHARES = {
    "BUSINESS_SERVICE": 0.005,
    "TECHNICAL_SERVICE": 0.02,
    "MICROSERVICE": 0.13,
    "APPLICATION": 0.03,
    "DATABASE": 0.012,
    "CACHE": 0.006,
    "MESSAGE_QUEUE": 0.003,
    "CLOUD_RESOURCE": 0.008,
    "LOAD_BALANCER": 0.003,
    "CLUSTER": 0.003,
    "STORAGE_DEVICE": 0.003,
}
# What the shares above produce in dependent CIs per CI, measured: used to aim at the total.
DEMAND_FACTOR = 0.77
CONTAINERS_PER_WORKER = 8
VMS_PER_HYPERVISOR = 6
SERVERS_PER_RACK = 16
RACKS_PER_SITE = 40
ZIPF_EXPONENT = 1.1


def parse_scale(text: str) -> int:
    """`1k`, `10k`, `100k`, `1m` (any case) or a plain number of CIs."""
    key = text.strip().lower()
    if key in SCALES:
        return SCALES[key]
    if key.isdigit() and int(key) >= 200:
        return int(key)
    raise ValueError(f"scale must be one of {', '.join(SCALES)} or a number >= 200, got {text!r}")


@dataclass
class Generated:
    cis: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    starts: dict[str, str] = field(default_factory=dict)
    classes: dict[str, str] = field(default_factory=dict)
    _rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    _edges: set[tuple[str, str, str]] = field(default_factory=set)

    def ci(self, external_id: str, ci_class: str, **fields: Any) -> str:
        row: dict[str, Any] = {"externalId": external_id, "name": external_id, "class": ci_class}
        row.update({k: v for k, v in fields.items() if v is not None})
        self.cis.append(row)
        self._rows[external_id] = row
        self.classes[external_id] = ci_class
        return external_id

    def relate(self, source: str, target: str, kind: str, group: str | None = None) -> bool:
        """Adds `source -kind-> target` unless it is a self-loop or already there."""
        key = (source, target, kind)
        if source == target or key in self._edges:
            return False
        relation = RelationType[kind]
        if not allowed(relation, CIClass[self.classes[source]], CIClass[self.classes[target]]):
            raise AssertionError(f"generator bug: {self.classes[source]} -{kind}-> {target}")
        self._edges.add(key)
        row: dict[str, Any] = {"from": source, "to": target, "type": kind}
        if group is not None:
            row["redundancyGroup"] = group
        self.relationships.append(row)
        return True

    def pool(self, source: str, targets: Sequence[str], kind: str, group: str, needed: int) -> None:
        """A redundancy pool: `source` needs `needed` of `targets`."""
        for target in targets:
            self.relate(source, target, kind, group if len(targets) > 1 else None)
        if len(targets) > 1:
            self._rows[source].setdefault("minOperational", {})[group] = min(needed, len(targets))


def _zipf(rng: random.Random, items: Sequence[str], k: int) -> list[str]:
    """k distinct items, item i chosen with weight 1/(i+1)^s: a heavy-tailed fan-in."""
    cumulative = _ZIPF_CUMULATIVE.get(len(items))
    if cumulative is None:
        cumulative = list(accumulate(1.0 / (i + 1) ** ZIPF_EXPONENT for i in range(len(items))))
        _ZIPF_CUMULATIVE[len(items)] = cumulative
    chosen: list[str] = []
    while len(chosen) < min(k, len(items)):
        pick = rng.choices(items, cum_weights=cumulative)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


_ZIPF_CUMULATIVE: dict[int, list[float]] = {}


def _count(total: int, share: float, minimum: int) -> int:
    return max(minimum, round(total * share / DEMAND_FACTOR))


def _attrs(rng: random.Random, criticality: int | None = None) -> dict[str, Any]:
    team = rng.randrange(40)
    return {
        "criticality": criticality or rng.choice((1, 2, 2, 3, 3, 3, 4)),
        "owner": f"owner-{team:02d}",
        "supportGroup": f"team-{team:02d}",
    }


def _facilities_and_network(g: Generated, servers: int) -> tuple[list[str], dict[str, list[str]]]:
    """Sites, racks, the core, distribution and top-of-rack pairs. Returns the racks and each
    rack's top-of-rack pair."""
    racks_needed = max(2, -(-servers // SERVERS_PER_RACK))
    sites = [
        g.ci(f"site-{i:02d}", "LOCATION", attributes={"kind": "site"})
        for i in range(max(2, -(-racks_needed // RACKS_PER_SITE)))
    ]
    core = g.ci("net-core-01", "NETWORK_DEVICE", criticality=1, attributes={"role": "core"})
    g.starts["network_core"] = core
    g.relate(core, sites[0], "HOSTED_ON")
    dist: dict[str, list[str]] = {}
    for s, site in enumerate(sites):
        pair = [g.ci(f"net-dist-{s:02d}-{k}", "NETWORK_DEVICE", criticality=1) for k in "ab"]
        for device in pair:
            g.relate(device, site, "HOSTED_ON")
            g.relate(device, core, "CONNECTED_THROUGH")
        dist[site] = pair
    racks: list[str] = []
    tors: dict[str, list[str]] = {}
    for r in range(racks_needed):
        site = sites[r % len(sites)]
        rack = g.ci(f"rack-{r:04d}", "LOCATION", attributes={"kind": "rack"})
        g.relate(rack, site, "HOSTED_ON")
        pair = [g.ci(f"net-tor-{r:04d}-{k}", "NETWORK_DEVICE", criticality=2) for k in "ab"]
        for device in pair:
            g.relate(device, rack, "HOSTED_ON")
            g.pool(device, dist[site], "CONNECTED_THROUGH", "uplinks", 1)
        racks.append(rack)
        tors[rack] = pair
    return racks, tors


def _rack_member(
    g: Generated, external_id: str, ci_class: str, rack: str, tors: dict[str, list[str]], **kw: Any
) -> str:
    ci = g.ci(external_id, ci_class, **kw)
    g.relate(ci, rack, "HOSTED_ON")
    g.pool(ci, tors[rack], "CONNECTED_THROUGH", "uplinks", 1)
    return ci


def generate(total: int, seed: int = 7) -> Generated:
    """An enterprise CMDB of about `total` CIs (exactly `total` for the named scales)."""
    rng = random.Random(seed)
    g = Generated()
    n = {name: _count(total, share, 2) for name, share in SHARES.items()}
    n["BUSINESS_SERVICE"] = max(3, n["BUSINESS_SERVICE"])
    # Demand, to size hosts and racks first (the network is built before what uses it).
    # Shared platform microservices (the first ones) run with more replicas.
    platform = max(3, n["MICROSERVICE"] // 40)
    replicas = [
        rng.choice((3, 4) if i < platform else (1, 2, 2, 3, 3, 4)) for i in range(n["MICROSERVICE"])
    ]
    workers = max(2, -(-sum(replicas) // CONTAINERS_PER_WORKER))
    bare_metal_dbs = n["DATABASE"] // 4
    vm_demand = (
        workers
        + 3 * n["CLUSTER"]
        + 2 * n["APPLICATION"]
        + 2 * (n["DATABASE"] - bare_metal_dbs)
        + 2 * n["CACHE"]
        + 3 * n["MESSAGE_QUEUE"]
    )
    hypervisors = max(2, -(-vm_demand // VMS_PER_HYPERVISOR))
    racks, tors = _facilities_and_network(g, hypervisors + 2 * bare_metal_dbs)
    core = g.starts["network_core"]

    lbs = []
    for i in range(n["LOAD_BALANCER"]):
        lb = g.ci(f"lb-{i:03d}", "LOAD_BALANCER", **_attrs(rng, 1))
        g.relate(lb, racks[i % len(racks)], "HOSTED_ON")
        g.relate(lb, core, "CONNECTED_THROUGH")
        lbs.append(lb)
    storage = []
    for i in range(n["STORAGE_DEVICE"]):
        rack = racks[i % len(racks)]
        storage.append(_rack_member(g, f"san-{i:03d}", "STORAGE_DEVICE", rack, tors))
    hosts = []
    rack_of: dict[str, str] = {}
    for i in range(hypervisors):
        rack = racks[i % len(racks)]
        host = _rack_member(
            g,
            f"esx-{i:05d}",
            "SERVER",
            rack,
            tors,
            serialNumber=f"SN-ESX-{i:06d}",
            hostname=f"esx-{i:05d}",
            attributes={"role": "hypervisor"},
        )
        g.relate(host, storage[i % len(storage)], "DEPENDS_ON")
        rack_of[host] = rack
        hosts.append(host)
    g.starts["outage_host"] = hosts[0]
    vm_count = 0

    def vm(role: str, lb: bool = False) -> str:
        nonlocal vm_count
        # Round robin: the members of a pool, made one after the other, land on different hosts.
        host = hosts[vm_count % len(hosts)]
        name = f"vm-{role}-{vm_count:06d}"
        vm_count += 1
        ci = g.ci(name, "VIRTUAL_MACHINE", hostname=name, attributes={"role": role})
        g.relate(ci, host, "HOSTED_ON")
        g.relate(ci, storage[vm_count % len(storage)], "DEPENDS_ON")
        g.pool(ci, tors[rack_of[host]], "CONNECTED_THROUGH", "nics", 1)
        if lb:
            g.relate(ci, lbs[vm_count % len(lbs)], "CONNECTED_THROUGH")
        return ci

    clusters = []
    for i in range(n["CLUSTER"]):
        cluster = g.ci(f"k8s-{i:03d}", "CLUSTER", **_attrs(rng, 1))
        g.pool(cluster, [vm("k8s-cp") for _ in range(3)], "DEPENDS_ON", "control-plane", 2)
        clusters.append(cluster)
    worker_vms = [vm("k8s-worker", lb=True) for _ in range(workers)]

    databases = []
    for i in range(n["DATABASE"]):
        db = g.ci(
            f"db-{i:04d}", "DATABASE", monthlyCost=f"{rng.randrange(200, 5000)}.00", **_attrs(rng)
        )
        if i % 4 == 3:
            metal = [
                _rack_member(
                    g,
                    f"dbsrv-{i:04d}-{k}",
                    "SERVER",
                    racks[(i + j) % len(racks)],
                    tors,
                    serialNumber=f"SN-DB-{i:05d}-{k}",
                )
                for j, k in enumerate("ab")
            ]
            g.pool(db, metal, "RUNS_ON", "db-nodes", 1)
        else:
            g.pool(db, [vm("db"), vm("db")], "RUNS_ON", "db-nodes", 1)
        databases.append(db)
    g.starts["shared_database"] = databases[0]
    caches = []
    for i in range(n["CACHE"]):
        cache = g.ci(f"cache-{i:04d}", "CACHE", **_attrs(rng))
        g.pool(cache, [vm("cache"), vm("cache")], "RUNS_ON", "cache-nodes", 1)
        caches.append(cache)
    queues = []
    for i in range(n["MESSAGE_QUEUE"]):
        queue = g.ci(f"mq-{i:04d}", "MESSAGE_QUEUE", **_attrs(rng))
        g.pool(queue, [vm("mq") for _ in range(3)], "RUNS_ON", "brokers", 2)
        queues.append(queue)
    clouds = []
    for i in range(n["CLOUD_RESOURCE"]):
        cloud = g.ci(f"cloud-{i:04d}", "CLOUD_RESOURCE", **_attrs(rng))
        g.relate(cloud, core, "CONNECTED_THROUGH")
        clouds.append(cloud)

    stores = _interleave(databases, caches, queues)
    microservices = _microservices(
        g, rng, replicas, platform, n["TECHNICAL_SERVICE"], worker_vms, clusters, stores, clouds
    )
    applications = []
    for i in range(n["APPLICATION"]):
        app = g.ci(f"app-{i:04d}", "APPLICATION", **_attrs(rng))
        g.pool(app, [vm("app", lb=True), vm("app", lb=True)], "RUNS_ON", "app-servers", 1)
        for db in _zipf(rng, databases, rng.choice((1, 1, 2))):
            g.relate(app, db, "DEPENDS_ON")
        if rng.random() < 0.5:
            g.relate(app, _zipf(rng, queues, 1)[0], "DEPENDS_ON")
        applications.append(app)
    _services(g, rng, n, microservices, applications, lbs)
    _fill(g, rng, total, worker_vms, applications)
    return g


def _interleave(*groups: list[str]) -> list[str]:
    """Stores in rank order for the Zipf draw: the first database ranks first."""
    merged: list[str] = []
    for i in range(max(len(group) for group in groups)):
        merged += [group[i] for group in groups if i < len(group)]
    return merged


def _microservices(
    g: Generated,
    rng: random.Random,
    replicas: list[int],
    platform: int,
    domains: int,
    worker_vms: list[str],
    clusters: list[str],
    stores: list[str],
    clouds: list[str],
) -> list[str]:
    microservices: list[str] = []
    container_count = 0
    for i, count in enumerate(replicas):
        ms = g.ci(f"ms-{i:05d}", "MICROSERVICE", **_attrs(rng))
        cluster = clusters[i % len(clusters)]
        pods = []
        for _ in range(count):
            pod = g.ci(f"pod-{container_count:06d}", "CONTAINER")
            g.relate(pod, worker_vms[container_count % len(worker_vms)], "HOSTED_ON")
            g.relate(pod, cluster, "DEPENDS_ON")
            if container_count % 2:
                # Its image registry: a cloud resource shared by a cluster's pods.
                g.relate(pod, clouds[(i % len(clusters)) % len(clouds)], "DEPENDS_ON")
            container_count += 1
            pods.append(pod)
        g.pool(ms, pods, "RUNS_ON", "replicas", max(1, count - 1))
        for store in _zipf(rng, stores, rng.choice((1, 2, 3, 3, 4))):
            g.relate(ms, store, "DEPENDS_ON")
        # Calls stay mostly in the microservice's domain (its technical service: i % domains),
        # to earlier ones (a DAG), plus shared platform microservices (auth, config, ...)
        # drawn with Zipf weights. Cycles are added on purpose below.
        peers = [j for j in range(i - domains, platform - 1, -domains)][:4] if i >= platform else []
        for j in rng.sample(peers, min(len(peers), rng.choice((0, 1, 1, 2, 2, 3)))):
            g.relate(ms, microservices[j], "DEPENDS_ON")
        if i >= platform:
            for shared in _zipf(rng, microservices[:platform], rng.choice((0, 1, 1, 2))):
                g.relate(ms, shared, "DEPENDS_ON")
        if rng.random() < 0.3:
            g.relate(ms, rng.choice(clouds), "DEPENDS_ON")
        microservices.append(ms)
    # A few call cycles inside a domain: a -> b -> c -> a.
    for c in range(max(1, len(microservices) // 2000)):
        first = platform + (c * 97) % max(1, len(microservices) - platform - 2 * domains)
        a, b, c3 = (microservices[first + k * domains] for k in range(3))
        g.relate(a, b, "DEPENDS_ON")
        g.relate(b, c3, "DEPENDS_ON")
        g.relate(c3, a, "DEPENDS_ON")
    return microservices


def _services(
    g: Generated,
    rng: random.Random,
    n: dict[str, int],
    microservices: list[str],
    applications: list[str],
    lbs: list[str],
) -> None:
    technical: list[str] = []
    for i in range(n["TECHNICAL_SERVICE"]):
        ts = g.ci(f"ts-{i:04d}", "TECHNICAL_SERVICE", **_attrs(rng))
        front = [lbs[(2 * i) % len(lbs)], lbs[(2 * i + 1) % len(lbs)]]
        g.pool(ts, front, "DEPENDS_ON", "front", 1)
        if i and rng.random() < 0.3:
            g.relate(ts, technical[rng.randrange(i)], "DEPENDS_ON")
        technical.append(ts)
    # A cycle between services: each relies on the other (they exist in real CMDBs).
    g.relate(technical[0], technical[1], "DEPENDS_ON")
    g.relate(technical[1], technical[0], "DEPENDS_ON")
    for k, component in enumerate(microservices + applications):
        g.relate(technical[k % len(technical)], component, "PROVIDED_BY")
    for i in range(n["BUSINESS_SERVICE"]):
        bs = g.ci(f"bs-{i:04d}", "BUSINESS_SERVICE", **_attrs(rng, 1 + i % 3))
        # The first business service rests on much; shared technical services rank first.
        wanted = 12 if i == 0 else rng.randint(2, 6)
        for ts in _zipf(rng, technical, wanted):
            g.relate(bs, ts, "PROVIDED_BY")
    g.starts["leaf"] = "bs-0000"
    g.starts["spof_service"] = "bs-0001"


def _fill(
    g: Generated, rng: random.Random, total: int, vms: list[str], applications: list[str]
) -> None:
    """Agents installed on worker VMs, reporting to management applications, up to the exact
    total (a CMDB's long tail)."""
    for i in range(total - len(g.cis)):
        software = g.ci(f"sw-{i:06d}", "SOFTWARE", attributes={"product": f"agent-{i % 7}"})
        g.relate(software, vms[rng.randrange(len(vms))], "RUNS_ON")
        g.relate(software, _zipf(rng, applications, 1)[0], "DEPENDS_ON")


def write(generated: Generated, out_dir: Path, scale: str, seed: int) -> tuple[Path, Path]:
    """Writes the import document (one row per line) and its manifest; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = out_dir / f"cmdb-{scale}.json"
    manifest = out_dir / f"cmdb-{scale}.manifest.json"
    with data.open("w", encoding="utf-8") as file:
        file.write(f'{{"source": {json.dumps(SOURCE)},\n"cis": [\n')
        file.write(",\n".join(json.dumps(row) for row in generated.cis))
        file.write('\n],\n"relationships": [\n')
        file.write(",\n".join(json.dumps(row) for row in generated.relationships))
        file.write("\n]}\n")
    described = {
        "leaf": "a business service: nothing depends on it, it depends on much",
        "shared_database": "the database with the highest fan-in (Zipf rank 1)",
        "network_core": "the network core device every path goes through",
        "outage_host": "a hypervisor host, for simulateOutage",
        "spof_service": "a business service, for singlePointsOfFailure",
    }
    document = {
        "scale": scale,
        "seed": seed,
        "source": SOURCE,
        "data": data.name,
        "cis": len(generated.cis),
        "relationships": len(generated.relationships),
        "starts": generated.starts,
        "startsDescribed": described,
        "classes": dict(sorted(Counter(generated.classes.values()).items())),
        "relationshipTypes": dict(
            sorted(Counter(r["type"] for r in generated.relationships).items())
        ),
    }
    manifest.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return data, manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10k", help="1k, 10k, 100k, 1m or a number of CIs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    try:
        total = parse_scale(args.scale)
    except ValueError as error:
        parser.error(str(error))
    generated = generate(total, args.seed)
    data, manifest = write(generated, args.out, args.scale.lower(), args.seed)
    print(
        f"{len(generated.cis)} CIs, {len(generated.relationships)} relationships "
        f"({len(generated.relationships) / len(generated.cis):.2f} per CI) -> {data}, {manifest}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
