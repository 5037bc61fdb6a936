"""Before a load: the subjects on the demo data (operational CIs, a shared database) and this
run's own CI pairs, imported through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.reliability import load_ops as ops

__all__ = ["PAIRS", "prepare"]

PAIRS = 24
"""CI pairs whose DEPENDS_ON edge the load relates and unrelates."""


async def _call(http: httpx.AsyncClient, headers: dict[str, str], request: dict[str, Any]) -> Any:
    response = await http.post("/graphql", json=request, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"preparing the load failed: {response.status_code} {body}")
    return body["data"]


async def prepare(
    base_url: str, headers: dict[str, str], run: str, pairs: int = PAIRS
) -> ops.Subjects:
    """Finds the subjects and imports `pairs` CI pairs named `<run>-pair-…` (source `run`)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as http:
        found = await _call(http, headers, ops.body(ops.SUBJECT_CIS))
        ci_ids = tuple(
            e["node"]["id"]
            for e in found["operational"]["edges"]
            if e["node"]["class"] not in ("BUSINESS_SERVICE", "LOCATION")
        )
        databases = [e["node"]["id"] for e in found["databases"]["edges"]]
        if not ci_ids or not databases:
            raise RuntimeError("no operational CIs or databases: is the demo data loaded?")
        prefix = f"{run}-pair"
        imported = await _call(
            http,
            headers,
            ops.body(
                ops.IMPORT_CIS, source=run, cis=ops.pair_rows(prefix, pairs), relationships=[]
            ),
        )
        if imported["importCIs"]["created"] != 2 * pairs:
            raise RuntimeError(f"the pairs were not imported: {imported}")
        ids: dict[str, str] = {}
        after = None
        while True:
            page = await _call(http, headers, ops.body(ops.FIND_CIS, prefix=prefix, after=after))
            ids |= {e["node"]["name"]: e["node"]["id"] for e in page["cis"]["edges"]}
            if not page["cis"]["pageInfo"]["hasNextPage"]:
                break
            after = page["cis"]["pageInfo"]["endCursor"]
    pair_ids = tuple((ids[f"{prefix}-{i:03d}-a"], ids[f"{prefix}-{i:03d}-b"]) for i in range(pairs))
    return ops.Subjects(ci_ids, databases[0], pair_ids)
