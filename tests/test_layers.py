"""The layers of the product, proved from its source: every import of every module of `api`,
`graph`, `resolvers` and `migrations` is read with `ast` (nothing is imported), including the
imports inside functions and `if TYPE_CHECKING:` blocks, and checked against the layering
rules of the README's "Layout".

The import graph has one edge per import statement: `import a.b` and `from a.b import name`
point at `a.b`, or at `a.b.name` when that is a module. The parent packages Python runs first
(`a`, then `a.b`) are not edges: every module of `graph` would otherwise "depend" on
`graph/__init__.py` and through it on the driver, and every package would be in a cycle with its
own modules. So "pure" below means "needs nothing impure", not "importable without `neo4j`
installed".

Each rule is a function over a mapping of module name to its imports, so that the self-tests at
the end can show it catching a violation in a synthetic tree.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("api", "graph", "resolvers", "migrations")
MAX_LINES = 300

DOMAIN = "graph.domain"
DATABASE = "graph._database"
DRIVER = "neo4j"
WEB = ("strawberry", "graphql", "starlette")
# Which product packages each layer must not import: api -> resolvers -> graph, and
# migrations -> graph (README, "Layout").
UPWARD: Mapping[str, tuple[str, ...]] = {
    "graph": ("api", "resolvers", "migrations"),
    "resolvers": ("api", "migrations"),
    "migrations": ("api", "resolvers"),
}


@dataclass(frozen=True)
class Import:
    target: str
    line: int


Imports = Mapping[str, Sequence[Import]]


# The walk


def product_files(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the product packages, by dotted name."""
    files: dict[str, Path] = {}
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            files[".".join(parts)] = path
    return files


def imports_in_source(
    module: str, source: str, known: Iterable[str], *, is_package: bool = False
) -> list[Import]:
    """Every import in `source` wherever it stands (module level, functions, TYPE_CHECKING
    blocks), resolved to dotted names; `from pkg import name` resolves to `pkg.name` when that
    is one of the `known` modules, otherwise to `pkg`."""
    modules = set(known)
    found: list[Import] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level, is_package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.append(Import(submodule if submodule in modules else base, node.lineno))
    return found


def _absolute(module: str, name: str | None, level: int, is_package: bool) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    package = parts if is_package else parts[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, *([name] if name else [])])


def product_imports(root: Path = ROOT) -> dict[str, list[Import]]:
    files = product_files(root)
    return {
        module: imports_in_source(
            module, path.read_text(), files, is_package=path.name == "__init__.py"
        )
        for module, path in files.items()
    }


# The rules: each returns one line per violation, naming the module and the import.


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _top(name: str) -> str:
    return name.split(".")[0]


def _is_product(name: str) -> bool:
    return _top(name) in PRODUCT


def _says(module: str, imported: Import, why: str) -> str:
    return f"{module} imports {imported.target} (line {imported.line}): {why}"


def domain_violations(imports: Imports) -> list[str]:
    """graph/domain/ imports only itself, `graph.errors` and the standard library."""
    return [
        _says(module, i, "the domain imports only graph.domain, graph.errors and the stdlib")
        for module, found in imports.items()
        if _within(module, DOMAIN)
        for i in found
        if not (
            _within(i.target, DOMAIN)
            or i.target == "graph.errors"
            or _top(i.target) in sys.stdlib_module_names
        )
    ]


def is_pure(module: str) -> bool:
    """The domain, the fetched subgraph, the algorithms and the topology arrays and questions.
    The topology's façade re-exports its loader, so it is not pure; pure modules import their
    siblings directly."""
    return (
        _within(module, DOMAIN)
        or module == "graph.impact._subgraph"
        or _within(module, "graph.impact.algorithms")
        or (module.startswith("graph.impact.topology.") and module != "graph.impact.topology._load")
    )


def impurity_violations(imports: Imports, pure: Callable[[str], bool] = is_pure) -> list[str]:
    """No pure module reaches `neo4j` or `graph._database`, directly or through any chain of
    product modules; the violation names the chain."""
    found: list[str] = []
    for start in sorted(m for m in imports if pure(m)):
        came_from: dict[str, str | None] = {start: None}
        queue = [start]
        while queue:
            module = queue.pop(0)
            for i in imports.get(module, ()):
                if _top(i.target) == DRIVER or i.target == DATABASE:
                    chain = [module]
                    while (previous := came_from[chain[-1]]) is not None:
                        chain.append(previous)
                    path = " -> ".join([*reversed(chain), i.target])
                    found.append(
                        _says(module, i, f"pure module {start} reaches the driver: {path}")
                    )
                elif _is_product(i.target) and i.target not in came_from:
                    came_from[i.target] = module
                    queue.append(i.target)
    return found


def forbidden_imports(
    imports: Imports, layer: str, forbidden: Iterable[str], why: str
) -> list[str]:
    """Imports by modules of `layer` of any of the `forbidden` packages."""
    banned = set(forbidden)
    return [
        _says(module, i, why)
        for module, found in imports.items()
        if _within(module, layer)
        for i in found
        if _top(i.target) in banned
    ]


def upward_violations(imports: Imports) -> list[str]:
    return [
        violation
        for layer, above in UPWARD.items()
        for violation in forbidden_imports(
            imports, layer, above, f"imports go api -> resolvers -> graph; {layer} is below"
        )
    ]


def private_owner(module: str) -> str | None:
    """The package whose modules alone may import `module`: the name up to its first private
    (`_`) segment after the first; None when `module` is public."""
    parts = module.split(".")
    for index, part in enumerate(parts[1:], start=1):
        if part.startswith("_") and not part.endswith("__"):
            return ".".join(parts[:index])
    return None


def private_violations(imports: Imports) -> list[str]:
    """A private module `a.b._c` is imported only from inside `a.b` (or its sub-packages)."""
    return [
        _says(module, i, f"a private module of {owner}, imported from outside it")
        for module, found in imports.items()
        for i in found
        if (owner := private_owner(i.target)) is not None and not _within(module, owner)
    ]


def cycles(imports: Imports) -> list[list[str]]:
    """Every import cycle among product modules, one per strongly connected component (Tarjan),
    as the modules of one concrete cycle through it, first module repeated at the end."""
    graph = {
        module: sorted({i.target for i in found if i.target in imports})
        for module, found in imports.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component: list[str] = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1 or module in graph[module]:
                components.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_cycle_through(graph, set(component)) for component in components]


def _cycle_through(graph: Mapping[str, Sequence[str]], component: set[str]) -> list[str]:
    start = min(component)
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in graph[module]:
            if target == start:
                chain = [module]
                while chain[-1] != start:
                    chain.append(came_from[chain[-1]])
                return [*reversed(chain), start]
            if target in component and target not in came_from:
                came_from[target] = module
                queue.append(target)
    raise AssertionError(f"no cycle through {start}")


def oversized(lines: Mapping[str, int], limit: int = MAX_LINES) -> list[str]:
    return [
        f"{module} has {count} lines (at most {limit})"
        for module, count in sorted(lines.items())
        if count > limit
    ]


# The product


IMPORTS = product_imports()


def _report(violations: Sequence[str]) -> str:
    return "\n".join(["", *violations])


def test_the_walk_sees_every_product_module_and_every_kind_of_import() -> None:
    files = product_files()
    assert set(IMPORTS) == set(files)
    assert {"api", "graph", "graph.domain", "graph.impact.topology._load"} <= set(IMPORTS)
    assert DRIVER in {i.target for i in IMPORTS[DATABASE]}
    assert DATABASE in {i.target for i in IMPORTS["graph.impact.topology._load"]}


def test_domain_imports_nothing_but_itself_and_errors() -> None:
    assert domain_violations(IMPORTS) == [], _report(domain_violations(IMPORTS))


def test_pure_topology_and_algorithm_modules_never_reach_the_driver() -> None:
    assert any(is_pure(m) for m in IMPORTS if m.startswith("graph.impact.topology."))
    assert impurity_violations(IMPORTS) == [], _report(impurity_violations(IMPORTS))


def test_graph_imports_neither_strawberry_nor_graphql_nor_starlette() -> None:
    found = forbidden_imports(IMPORTS, "graph", WEB, "graph/ knows no GraphQL and no HTTP")
    assert found == [], _report(found)


def test_resolvers_never_import_the_driver() -> None:
    found = forbidden_imports(IMPORTS, "resolvers", [DRIVER], "resolvers call graph/ only")
    assert found == [], _report(found)


def test_imports_go_one_way_from_api_to_resolvers_to_graph() -> None:
    assert upward_violations(IMPORTS) == [], _report(upward_violations(IMPORTS))


def test_no_module_imports_another_packages_private_module() -> None:
    assert private_violations(IMPORTS) == [], _report(private_violations(IMPORTS))


def test_no_import_cycle_among_product_modules() -> None:
    found = [" -> ".join(cycle) for cycle in cycles(IMPORTS)]
    assert found == [], _report(found)


def test_no_product_module_is_over_300_lines() -> None:
    lines = {m: len(p.read_text().splitlines()) for m, p in product_files().items()}
    assert oversized(lines) == [], _report(oversized(lines))


# The rules themselves, on synthetic trees: each catches what it is there to catch.


def _tree(edges: Mapping[str, Sequence[str]]) -> dict[str, list[Import]]:
    return {module: [Import(t, n) for n, t in enumerate(ts, 1)] for module, ts in edges.items()}


def test_the_walk_finds_imports_in_functions_and_type_checking_blocks() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from graph.cis import _health\n"
        "def f() -> None:\n"
        "    import neo4j\n"
        "    from . import _arrays\n"
        "    from .._subgraph import Edge\n"
    )
    known = ["graph.cis._health", "graph.impact.topology._arrays", "graph.impact._subgraph"]
    found = imports_in_source("graph.impact.topology._reach", source, known)
    assert [i.target for i in found] == [
        "typing",
        "graph.cis._health",
        "neo4j",
        "graph.impact.topology._arrays",
        "graph.impact._subgraph",
    ]


def test_domain_rule_catches_the_domain_importing_a_repository_or_the_driver() -> None:
    tree = _tree({"graph.domain._ci": ["decimal", "graph.errors", "graph.cis", "neo4j"]})
    assert domain_violations(tree) == [
        "graph.domain._ci imports graph.cis (line 3): "
        "the domain imports only graph.domain, graph.errors and the stdlib",
        "graph.domain._ci imports neo4j (line 4): "
        "the domain imports only graph.domain, graph.errors and the stdlib",
    ]


def test_purity_rule_catches_the_driver_reached_through_another_module() -> None:
    tree = _tree(
        {
            "graph.impact.topology._reach": ["numpy", "graph.cis"],
            "graph.cis": ["graph.cis._health"],
            "graph.cis._health": ["graph._database"],
            "graph._database": ["neo4j"],
            "graph.impact.algorithms._cost": ["graph.impact._subgraph"],
            "graph.impact._subgraph": ["graph.domain"],
        }
    )
    assert impurity_violations(tree) == [
        "graph.cis._health imports graph._database (line 1): pure module "
        "graph.impact.topology._reach reaches the driver: graph.impact.topology._reach -> "
        "graph.cis -> graph.cis._health -> graph._database"
    ]
    assert not is_pure("graph.impact.topology._load")
    assert not is_pure("graph.impact.topology")


def test_layer_rules_catch_imports_against_the_flow() -> None:
    tree = _tree(
        {
            "graph.cis._query": ["strawberry", "resolvers._context", "api.settings"],
            "resolvers.cis.types": ["neo4j.exceptions", "api"],
            "migrations._runner": ["graph"],
            "api.app": ["resolvers", "starlette.routing"],
        }
    )
    assert forbidden_imports(tree, "graph", WEB, "web") == [
        "graph.cis._query imports strawberry (line 1): web"
    ]
    assert forbidden_imports(tree, "resolvers", [DRIVER], "driver") == [
        "resolvers.cis.types imports neo4j.exceptions (line 1): driver"
    ]
    assert [v.split(" (")[0] for v in upward_violations(tree)] == [
        "graph.cis._query imports resolvers._context",
        "graph.cis._query imports api.settings",
        "resolvers.cis.types imports api",
    ]


def test_private_rule_allows_the_package_and_its_sub_packages_only() -> None:
    tree = _tree(
        {
            "graph.impact._analyst": [
                "graph.impact._traversal",
                "graph._database",
                "graph.cis._health",
                "graph.impact.topology._load",
            ],
            "graph.impact.topology._load": ["graph.impact._subgraph"],
            "graph.impact.topology": ["graph.impact.topology._load"],
            "api.app": ["graph._database", "resolvers._context", "graph.cis"],
        }
    )
    assert [v.split(" (")[0] for v in private_violations(tree)] == [
        "graph.impact._analyst imports graph.cis._health",
        "graph.impact._analyst imports graph.impact.topology._load",
        "api.app imports graph._database",
        "api.app imports resolvers._context",
    ]
    assert private_owner("graph.impact.topology._load") == "graph.impact.topology"
    assert private_owner("graph._database") == "graph"
    assert private_owner("graph.cis") is None


def test_cycle_rule_names_the_modules_of_each_cycle() -> None:
    tree = _tree(
        {
            "resolvers.cis.types": ["resolvers.relationships.types", "graph"],
            "resolvers.relationships.types": ["resolvers.cis.types"],
            "graph.cis": ["graph.cis._query"],
            "graph.cis._query": ["graph.cis"],
            "graph": [],
            "graph.domain": ["graph.domain"],
        }
    )
    assert sorted(cycles(tree)) == [
        ["graph.cis", "graph.cis._query", "graph.cis"],
        ["graph.domain", "graph.domain"],
        ["resolvers.cis.types", "resolvers.relationships.types", "resolvers.cis.types"],
    ]
    assert cycles(_tree({"a.x": ["a.y"], "a.y": [], "a": ["a.x", "a.y"]})) == []


def test_size_rule_catches_a_module_over_the_limit() -> None:
    assert oversized({"graph.cis._health": 301, "graph.cis._query": 300}) == [
        "graph.cis._health has 301 lines (at most 300)"
    ]
