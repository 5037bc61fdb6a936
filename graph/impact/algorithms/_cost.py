"""Cost roll-up (docs/concepts.md, "Impact questions"): a service's own cost plus shares of
what it depends on."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from graph.impact._subgraph import Subgraph
from graph.impact.algorithms._common import by_name, dependencies, dependents

__all__ = ["CostBreakdown", "CostShare", "cost_rollup"]


@dataclass(frozen=True)
class CostShare:
    """How much of one CI's monthly cost the service carries."""

    ci_id: str
    own: Decimal
    """The CI's monthly cost (0 when unknown)."""
    share_fraction: Fraction
    """The exact part of it the service carries: 1 for the service itself."""
    allocated: Decimal
    """`own` times `share_fraction`, rounded to cents so the items add up to the total."""


@dataclass(frozen=True)
class CostBreakdown:
    total: Decimal
    """The service's monthly cost rounded to cents: exactly the sum of the items' `allocated`."""
    items: tuple[CostShare, ...]
    """The service and every CI it transitively depends on, largest allocation first (then by
    name and id)."""


def cost_rollup(subgraph: Subgraph, service_id: str) -> CostBreakdown:
    """The service's monthly cost: its own plus a share of each dependency's, a shared CI's
    cost split evenly among its direct dependents, recursively.

    The service carries all of its own cost (weight 1); a dependency d carries weight
    w(d) = sum of w(p) / dependents(d) over its dependents p in the service's closure, and the
    total is the sum of own(x)·w(x). dependents(d) is `NodeInfo.dependents_in_graph` (dependents
    in the whole graph), or the number of distinct dependents the subgraph shows when that is 0
    or smaller. Cycles: a depth-first search from the service (dependencies by name, then id)
    ignores the edges that close a cycle, back to a CI still on the search path, and self-loops;
    the share that would flow around the cycle is not allocated to anyone. Exact fractions
    throughout; only the output is rounded, to cents, with largest-remainder rounding so that
    the items add up to the rounded total.

    O((V + E) log E) (sorting dependencies and the items), plus exact-fraction arithmetic.
    """
    needs = dependencies(subgraph)
    order, closing = _search_order(needs, service_id)
    seen_dependents = {
        ci: len([p for p in ps if p != ci]) for ci, ps in dependents(subgraph).items()
    }
    weight: dict[str, Fraction] = {ci: Fraction(0) for ci in order}
    weight[service_id] = Fraction(1)
    for ci in order:
        for dependency in needs.get(ci, ()):
            if (ci, dependency) not in closing:
                weight[dependency] += weight[ci] / _divisor(subgraph, dependency, seen_dependents)
    name_key = by_name(subgraph)
    own = {ci: _own_cost(subgraph, ci) for ci in order}
    exact = {ci: Fraction(own[ci]) * weight[ci] for ci in order}
    ranked = sorted(order, key=lambda ci: (-exact[ci], *name_key(ci)))
    cents = _cents_adding_up([exact[ci] for ci in ranked])
    items = tuple(
        CostShare(ci, own[ci], weight[ci], _in_currency(amount))
        for ci, amount in zip(ranked, cents, strict=True)
    )
    return CostBreakdown(_in_currency(sum(cents)), items)


def _search_order(
    needs: dict[str, list[str]], service_id: str
) -> tuple[list[str], set[tuple[str, str]]]:
    """A topological order of the service's closure without the edges that close a cycle (the
    reverse post-order of an iterative depth-first search), and those edges."""
    on_path: dict[str, bool] = {service_id: True}
    post_order: list[str] = []
    closing: set[tuple[str, str]] = set()
    work: list[tuple[str, int]] = [(service_id, 0)]
    while work:
        ci, position = work[-1]
        targets = needs.get(ci, [])
        if position < len(targets):
            work[-1] = (ci, position + 1)
            dependency = targets[position]
            if dependency not in on_path:
                on_path[dependency] = True
                work.append((dependency, 0))
            elif on_path[dependency]:
                closing.add((ci, dependency))
            continue
        work.pop()
        on_path[ci] = False
        post_order.append(ci)
    return post_order[::-1], closing


def _divisor(subgraph: Subgraph, ci: str, seen_dependents: dict[str, int]) -> int:
    node = subgraph.nodes.get(ci)
    in_graph = node.dependents_in_graph if node is not None else 0
    seen = seen_dependents[ci]
    return in_graph if in_graph > 0 and in_graph >= seen else seen


def _own_cost(subgraph: Subgraph, ci: str) -> Decimal:
    node = subgraph.nodes.get(ci)
    if node is None or node.monthly_cost is None:
        return Decimal(0)
    return node.monthly_cost


def _cents_adding_up(amounts: list[Fraction]) -> list[int]:
    """Each amount in whole cents, rounded down, then the cents the rounded (half to even) total
    is still missing handed to the largest remainders (earlier items first on equal ones)."""
    in_cents = [amount * 100 for amount in amounts]
    rounded = [floor(amount) for amount in in_cents]
    missing = round(sum(in_cents, Fraction(0))) - sum(rounded)
    by_remainder = sorted(range(len(amounts)), key=lambda i: rounded[i] - in_cents[i])
    for i in by_remainder[:missing]:
        rounded[i] += 1
    return rounded


def _in_currency(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
