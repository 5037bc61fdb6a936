"""How an event records a large set of services that changed: counts and the first ids."""

from __future__ import annotations

from graph.domain import MAX_LISTED_IDS, FieldChange, services_diff


def test_an_unchanged_set_of_services_records_no_field() -> None:
    assert services_diff("computedServices", ["b", "a"], ["a", "b"]) == ()


def test_thousands_of_services_are_recorded_as_counts_and_the_first_ids() -> None:
    before = [f"s{n:05d}" for n in range(3000)]
    after = [f"s{n:05d}" for n in range(100, 3235)]

    [change] = services_diff("computedServices", before, after)

    assert change.field == "computedServices" and change.before == {"count": 3000}
    assert change.after["count"] == 3135
    assert change.after["addedCount"] == 235 and change.after["removedCount"] == 100
    assert change.after["added"] == after[-235:][:MAX_LISTED_IDS]
    assert change.after["removed"] == before[:MAX_LISTED_IDS]
    assert isinstance(change, FieldChange)
