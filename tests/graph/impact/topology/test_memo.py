"""Answers kept with a topology (`_memo.py`): computed once per question while the topology is
current, the least recently asked dropped first, and never carried to the topology of a write."""

from __future__ import annotations

from graph import Database
from graph.cis import NewRelationship
from graph.domain import RelationType
from graph.impact.topology import TopologyProjection, single_points_of_failure
from graph.impact.topology._memo import Answers
from tests.graph.impact.topology.helpers import create, product


def test_an_answer_is_computed_once_per_key_and_the_least_recently_asked_goes_first() -> None:
    computed: list[str] = []

    def compute(key: str) -> str:
        computed.append(key)
        return key.upper()

    answers = Answers(size=2)
    assert answers.get("a", lambda: compute("a")) == "A"
    assert answers.get("b", lambda: compute("b")) == "B"
    assert answers.get("a", lambda: compute("a")) == "A"  # kept: "b" is now the oldest
    assert answers.get("c", lambda: compute("c")) == "C"
    assert answers.get("a", lambda: compute("a")) == "A"
    assert answers.get("b", lambda: compute("b")) == "B"  # dropped for "c": computed again
    assert computed == ["a", "b", "c", "b"]
    assert len(answers) == 2


async def test_single_points_of_failure_are_kept_until_a_write_makes_a_new_topology(
    db: Database,
) -> None:
    p = product(db)
    shop = await create(p, "shop", "BUSINESS_SERVICE")
    app = await create(p, "checkout", "APPLICATION")
    database = await create(p, "orders-db", "DATABASE")
    for source, target in ((shop, app), (app, database)):
        await p.relationships.relate(
            NewRelationship(source, target, RelationType.DEPENDS_ON), "pytest"
        )
    projection = TopologyProjection(db)
    before = await projection.current()

    first = single_points_of_failure(before, shop)
    assert [ci.name for ci in first or []] == ["checkout", "orders-db"]
    assert len(before.answers) == 1
    again = single_points_of_failure(before, shop)
    assert again == first and again is not first  # a copy: the caller may change its list
    assert len(before.answers) == 1
    assert single_points_of_failure(before, "no-such-ci") is None
    assert len(before.answers) == 2

    await p.cis.update(database, None, {"name": "orders-db-2"}, "pytest")
    after = await projection.current()

    assert after is not before and len(after.answers) == 0
    assert [ci.name for ci in single_points_of_failure(after, shop) or []] == [
        "checkout",
        "orders-db-2",
    ]
    # The old topology keeps its own answer (a question still running on it sees one graph).
    assert [ci.name for ci in first or []] == ["checkout", "orders-db"]
