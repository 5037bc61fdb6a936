"""Every write of the product's records goes through the write recipe (`Writes.write`), so
that its after-commit hook, the event publisher, hears of it: proved from the source, as
tests/test_layers.py proves the layers. Only the kernel's own bookkeeping writes directly."""

from __future__ import annotations

import ast

from tests.test_layers import product_files

DIRECT_WRITES = ("write", "write_rows")
# Bookkeeping that is no record of the CMDB: the recipe itself, the migration log, the
# topology token (`cmdb refresh-topology`), the idempotency keys of HTTP requests, the persisted
# GraphQL documents (no subscriber hears of them).
ALLOWED = {
    "graph._writes",
    "graph._migration_log",
    "graph._topology_version",
    "graph.idempotency._repository",
    "graph.documents._repository",
}


def direct_writes(modules: set[str]) -> list[str]:
    """Calls of `Database.write` / `write_rows` (on `db`, `self._db`, `r.db`, ...) in
    `modules`."""
    found = []
    for module, path in product_files().items():
        if module not in modules:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            receiver = ast.unparse(node.func.value)
            if node.func.attr in DIRECT_WRITES and receiver.endswith("db"):
                found.append(f"{module}:{node.lineno} {receiver}.{node.func.attr}")
    return found


def test_every_write_of_a_record_goes_through_the_write_recipe() -> None:
    graph = {m for m in product_files() if m.startswith("graph.")}
    assert direct_writes(graph - ALLOWED - {"graph._database"}) == []


def test_the_scan_finds_the_direct_writes_of_the_bookkeeping() -> None:
    assert {hit.split(":")[0] for hit in direct_writes(ALLOWED)} == ALLOWED
