"""Source precedence: the setting's syntax and the ranking rules, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.imports import SourcePrecedence, parse_precedence

SOURCES = ["servicenow", "discovery", "finance", "spreadsheet", "audit"]


def test_the_setting_names_a_default_ranking_and_rankings_per_attribute() -> None:
    precedence = parse_precedence(
        " servicenow, discovery ; monthlyCost=finance,servicenow;attr.*=x"
    )

    assert precedence.default == ("servicenow", "discovery")
    assert precedence.per_attribute == (
        ("attr.*", ("x",)),
        ("monthlyCost", ("finance", "servicenow")),
    )
    assert precedence.rank("servicenow", "owner") > precedence.rank("discovery", "owner") > 0
    assert precedence.rank("finance", "owner") == 0
    assert precedence.rank("finance", "monthlyCost") > precedence.rank("servicenow", "monthlyCost")
    assert precedence.rank("x", "attr.rto") > precedence.rank("servicenow", "attr.rto")


def test_an_empty_setting_makes_every_source_equal() -> None:
    precedence = parse_precedence("")

    assert precedence == SourcePrecedence()
    assert precedence.may_overwrite("a", "b", "owner")
    assert precedence.may_overwrite("b", "a", "owner")
    assert not precedence.outranks("a", None, "owner")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a,,b", "empty source name"),
        ("a,b,a", "named twice"),
        ("a;b", "more than one default ranking"),
        ("owner=a;owner=b", "repeated attribute"),
        ("=a", "missing or repeated attribute"),
    ],
)
def test_a_malformed_setting_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_precedence(text)


def test_no_recorded_source_may_be_overwritten_and_is_outranked_only_by_named_sources() -> None:
    precedence = parse_precedence("servicenow")

    assert precedence.may_overwrite("anyone", None, "owner")
    assert precedence.outranks("servicenow", None, "owner")
    assert not precedence.outranks("anyone", None, "owner")


rankings = st.lists(st.sampled_from(SOURCES), unique=True, max_size=len(SOURCES))


@given(rankings, st.sampled_from(SOURCES), st.sampled_from(SOURCES))
def test_a_source_may_overwrite_exactly_when_it_is_not_ranked_lower(
    ranking: list[str], source: str, recorded: str
) -> None:
    precedence = SourcePrecedence(default=tuple(ranking))

    def reference(name: str) -> int:
        # Named sources by position, highest first; unnamed below all of them.
        return len(ranking) - ranking.index(name) if name in ranking else 0

    assert precedence.may_overwrite(source, recorded, "owner") == (
        reference(source) >= reference(recorded)
    )
    assert precedence.outranks(source, recorded, "owner") == (
        reference(source) > reference(recorded)
    )


@given(rankings, st.dictionaries(st.sampled_from(["owner", "attr.*", "monthlyCost"]), rankings))
def test_the_setting_reads_back_what_describe_writes(
    default: list[str], per_attribute: dict[str, list[str]]
) -> None:
    precedence = SourcePrecedence(
        tuple(default),
        tuple(sorted((attribute, tuple(r)) for attribute, r in per_attribute.items() if r)),
    )

    assert parse_precedence(precedence.describe()) == precedence
