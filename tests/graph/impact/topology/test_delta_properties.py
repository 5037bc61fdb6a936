"""A projection loaded before any sequence of product writes (createCI, updateCI of names,
statuses, criticality and descriptions, retireCI, relateCIs with and without pools and
minOperational, unrelateCIs, importCIs) follows them by deltas alone, and then holds exactly
what a process loading the graph afresh holds: the same CIs in the same order, the same edges
and pools, the same answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import Database
from graph.cis import NewRelationship
from graph.domain import NewCI, RelationType
from graph.errors import GraphError
from graph.impact.topology import TopologyProjection
from graph.imports import ImportCI, ImportRelationship, ImportRequest
from tests.conftest import CLEAR_GRAPH
from tests.graph.impact.topology.helpers import Product, answers, canonical, create, fresh_load
from tests.graph.impact.topology.helpers import product as make_product

NAMES = ("alpha", "beta", "gamma", "delta", "beta")
"""Few names, one twice: renames move CIs past each other and ties fall to the id."""
TYPES = (RelationType.DEPENDS_ON, RelationType.RUNS_ON, RelationType.PROVIDED_BY)


@dataclass(frozen=True)
class Step:
    kind: str
    a: int
    b: int
    value: Any = None


NOTHING = st.none()


def step(kind: str, value: st.SearchStrategy[Any] = NOTHING, pair: bool = False) -> Any:
    other = st.integers(0, 9) if pair else st.just(0)
    return st.builds(Step, st.just(kind), st.integers(0, 9), other, value)


STATUSES = st.sampled_from(["MAINTENANCE", "OPERATIONAL"])
steps = st.lists(
    st.one_of(
        step("create", st.sampled_from(NAMES)),
        step("rename", st.sampled_from(NAMES)),
        step("describe", st.text(max_size=3)),
        step("status", STATUSES),
        step("criticality", st.integers(1, 4)),
        step("retire"),
        step("relate", st.sampled_from(TYPES), pair=True),
        step("pool", st.integers(1, 2), pair=True),
        step("unrelate", st.sampled_from(TYPES), pair=True),
        step("import", st.sampled_from(NAMES), pair=True),
    ),
    min_size=1,
    max_size=8,
)


async def apply(p: Product, ids: list[str], step: Step, at: int) -> None:
    """Runs `step` through the product; refusals (a self-loop, an edge that is not there)
    write nothing, as they should."""
    a, b = ids[step.a % len(ids)], ids[step.b % len(ids)]
    try:
        if step.kind == "create":
            ids.append(await create(p, step.value, "MICROSERVICE"))
        elif step.kind == "rename":
            await p.cis.update(a, None, {"name": step.value}, "pytest")
        elif step.kind == "describe":
            await p.cis.update(a, None, {"description": step.value or None}, "pytest")
        elif step.kind == "status":
            await p.cis.update(a, None, {"status": step.value}, "pytest")
        elif step.kind == "criticality":
            await p.cis.update(a, None, {"criticality": step.value}, "pytest")
        elif step.kind == "retire":
            await p.cis.retire(a, None, "pytest")
        elif step.kind == "relate":
            await p.relationships.relate(NewRelationship(a, b, step.value), "pytest")
        elif step.kind == "pool":
            pooled = NewRelationship(
                a, b, RelationType.DEPENDS_ON, redundancy_group="pool", min_operational=step.value
            )
            await p.relationships.relate(pooled, "pytest")
        elif step.kind == "unrelate":
            await p.relationships.unrelate(a, b, step.value, "pytest")
        elif step.kind == "import":
            request = ImportRequest(
                "discovery",
                [ImportCI(NewCI(name=step.value, ci_class="SERVER"), external_id=f"x{at}")],
                [
                    ImportRelationship(a, f"x{at}", "RUNS_ON"),
                    ImportRelationship(b, a, "DEPENDS_ON"),
                ],
                skip_invalid=True,
            )
            await p.imports.run(request, "pytest")
    except GraphError:
        pass


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps, states_most=st.sampled_from([100, 0]), followed_between=st.booleans())
async def test_any_product_writes_followed_by_deltas_give_what_a_fresh_load_gives(
    db: Database, plan: list[Step], states_most: int, followed_between: bool
) -> None:
    """With `states_most` 0 every delta names its CIs only and the projection reads them back
    (as after a large write); `followed_between` follows and asks after every write too."""
    await db.write_rows("t.clear", CLEAR_GRAPH)
    p = make_product(db, delta_states_most=states_most)
    ids = [await create(p, name) for name in ("web", "db", "cache")]
    await p.relationships.relate(NewRelationship(ids[0], ids[1], RelationType.DEPENDS_ON), "pytest")
    projection = TopologyProjection(db)
    await projection.current()

    for at, step in enumerate(plan):
        await apply(p, ids, step, at)
        if followed_between:
            # Asking builds views, which the next delta then splices (`_view_splice.py`).
            answers(await projection.current(), ids[:4])
    followed = await projection.current()
    fresh = await fresh_load(db)

    assert projection.loads == 1
    assert canonical(followed) == canonical(fresh)
    assert answers(followed, ids[:4]) == answers(fresh, ids[:4])
