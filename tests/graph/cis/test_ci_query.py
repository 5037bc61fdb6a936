"""The query builder of `cis`, without a database: user values never become Cypher text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.cis import CIFilter, CIOrder, CIOrderField, OrderDirection
from graph.cis._query import count_query, page_query
from graph.domain import CIClass, CIStatus, ClassGroup, Environment
from graph.errors import InvalidInput

texts = st.none() | st.text(max_size=40)

filters = st.builds(
    CIFilter,
    classes=st.lists(st.sampled_from(CIClass), max_size=3).map(tuple),
    class_groups=st.lists(st.sampled_from(ClassGroup), max_size=2).map(tuple),
    statuses=st.lists(st.sampled_from(CIStatus), max_size=2).map(tuple),
    environments=st.lists(st.sampled_from(Environment), max_size=2).map(tuple),
    criticalities=st.lists(st.integers(1, 4), max_size=2).map(tuple),
    owner=texts,
    support_group=texts,
    name_contains=texts,
    name_starts_with=texts,
    search=texts,
)
orders = st.builds(CIOrder, st.sampled_from(CIOrderField), st.sampled_from(OrderDirection))

# A valid cursor key per ordering, standing in for whatever the cursor held.
VALID_KEY = {
    CIOrderField.NAME: "x",
    CIOrderField.CREATED_AT: "2026-01-01T00:00:00Z",
    CIOrderField.UPDATED_AT: "2026-01-01T00:00:00Z",
    CIOrderField.CRITICALITY: "2",
}


def with_placeholders(ci_filter: CIFilter) -> CIFilter:
    """The same filter with every text that filters replaced by "x"."""

    def mark(value: str | None) -> str | None:
        return "x" if value and value.strip() else None

    return replace(
        ci_filter,
        owner=mark(ci_filter.owner),
        support_group=mark(ci_filter.support_group),
        name_contains=mark(ci_filter.name_contains),
        name_starts_with=mark(ci_filter.name_starts_with),
        search=mark(ci_filter.search),
    )


@given(ci_filter=filters, order=orders, after=st.none() | st.tuples(st.text(), st.text()))
def test_query_text_depends_only_on_which_fields_are_set_never_on_their_values(
    ci_filter: CIFilter, order: CIOrder, after: tuple[str, str] | None
) -> None:
    parameters = ci_filter.parameters()
    try:
        cypher, extra = page_query(parameters, order, after)
    except InvalidInput:
        assert after is not None and order.field is not CIOrderField.NAME
        return
    placeholder = None if after is None else (VALID_KEY[order.field], "x")
    same_shape = with_placeholders(ci_filter).parameters()

    assert cypher == page_query(same_shape, order, placeholder)[0]
    assert count_query(parameters) == count_query(same_shape)
    assert set(parameters) == set(same_shape)
    assert set(extra) == (set() if after is None else {"afterKey", "afterId"})


def test_class_groups_become_the_labels_of_their_classes() -> None:
    parameters = CIFilter(class_groups=(ClassGroup.SERVICE, ClassGroup.FACILITY)).parameters()

    assert parameters == {"groupClasses": ["BusinessService", "Location", "TechnicalService"]}


def test_blank_text_and_empty_lists_do_not_filter() -> None:
    blank = CIFilter(owner=" ", search="\t", name_contains="", classes=(), statuses=())

    assert blank.parameters() == {}
    assert count_query({}) == "MATCH (c:CI)\nRETURN count(c) AS total"


def test_search_reads_the_full_text_index_instead_of_every_ci() -> None:
    cypher = count_query(CIFilter(search="web*", statuses=(CIStatus.RETIRED,)).parameters())

    assert cypher.startswith("CALL db.index.fulltext.queryNodes('ci_fulltext', $search)")
    assert "c.status IN $statuses" in cypher


@pytest.mark.parametrize("criticality", [0, 5, -1])
def test_a_criticality_outside_one_to_four_is_refused(criticality: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        CIFilter(criticalities=(1, criticality)).parameters()

    [error] = refused.value.errors
    assert (error.field, error.code) == ("filter.criticalities", "OUT_OF_RANGE")
