"""The rules of major incidents, pure: grouping open incidents by a shared root-cause candidate,
and what promotion and linking refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.domain import (
    IncidentState,
    check_child,
    check_parent,
    check_promotion,
    shared_root_causes,
    time_clusters,
)
from graph.errors import Conflict, InvalidInput


def test_a_host_groups_the_incidents_of_its_two_vms_and_the_rack_below_adds_nothing() -> None:
    affected = {"inc-a": ["vm-a"], "inc-b": ["vm-b"]}
    candidates = [("host", ["vm-a", "vm-b"], 2), ("rack", ["vm-a", "vm-b"], 4)]

    [group] = shared_root_causes(affected, candidates)

    assert (group.ci_id, group.incident_ids) == ("host", ("inc-a", "inc-b"))


def test_a_broader_root_cause_comes_first_and_a_nearer_one_for_fewer_incidents_is_dropped() -> None:
    affected = {"a": ["vm-a"], "b": ["vm-b"], "c": ["vm-c"]}
    candidates = [("rack", ["vm-a", "vm-b", "vm-c"], 6), ("host", ["vm-a", "vm-b"], 2)]

    groups = shared_root_causes(affected, candidates)

    assert [(g.ci_id, g.incident_ids) for g in groups] == [("rack", ("a", "b", "c"))]


def test_two_incidents_on_one_ci_share_that_ci() -> None:
    groups = shared_root_causes({"a": ["db"], "b": ["db"]}, [("host", ["db"], 1)])

    assert [(g.ci_id, g.incident_ids) for g in groups] == [("db", ("a", "b"))]


def test_a_candidate_explaining_several_cis_of_one_incident_groups_nothing() -> None:
    assert (
        shared_root_causes({"a": ["vm-a", "vm-b"], "b": ["db"]}, [("host", ["vm-a", "vm-b"], 2)])
        == []
    )


@given(
    st.dictionaries(
        st.sampled_from([f"inc-{n}" for n in range(6)]),
        st.lists(st.sampled_from([f"ci-{n}" for n in range(6)]), min_size=1, max_size=3),
    ),
    st.lists(
        st.tuples(
            st.sampled_from([f"root-{n}" for n in range(4)]),
            st.lists(st.sampled_from([f"ci-{n}" for n in range(6)]), min_size=1, max_size=4),
            st.integers(0, 10),
        ),
        max_size=4,
        unique_by=lambda c: c[0],
    ),
)
def test_every_group_has_two_incidents_each_explained_and_none_within_an_earlier_one(
    affected: dict[str, list[str]], candidates: list[tuple[str, list[str], int]]
) -> None:
    groups = shared_root_causes(affected, candidates)

    explains = {ci: set(cis) for ci, cis, _ in candidates}
    seen: list[set[str]] = []
    for group in groups:
        members = set(group.incident_ids)
        assert len(members) >= 2
        covered = explains.get(group.ci_id, set()) | {group.ci_id}
        assert all(set(affected[i]) & covered for i in members)
        assert not any(members <= earlier for earlier in seen)
        assert [len(g.incident_ids) for g in groups] == sorted(
            (len(g.incident_ids) for g in groups), reverse=True
        )
        seen.append(members)
    # Every pair of incidents on one CI is grouped somewhere.
    for ci in {c for cis in affected.values() for c in cis}:
        on_ci = {i for i, cis in affected.items() if ci in cis}
        if len(on_ci) > 1:
            assert any(on_ci <= set(g.incident_ids) for g in groups)


def test_only_an_open_incident_that_is_neither_major_nor_a_child_is_promoted() -> None:
    check_promotion("INC1", IncidentState.ON_HOLD, False, None)
    for state, major, parent in [
        (IncidentState.RESOLVED, False, None),
        (IncidentState.CLOSED, False, None),
        (IncidentState.CANCELLED, False, None),
        (IncidentState.NEW, True, None),
        (IncidentState.NEW, False, ("INC0", True)),
    ]:
        with pytest.raises(Conflict) as refused:
            check_promotion("INC1", state, major, parent)
        assert refused.value.field == "number"


def test_a_parent_must_be_major_and_open() -> None:
    check_parent("INC1", IncidentState.IN_PROGRESS, True)
    with pytest.raises(Conflict, match="promote it before linking children"):
        check_parent("INC1", IncidentState.NEW, False)
    with pytest.raises(Conflict, match="RESOLVED"):
        check_parent("INC1", IncidentState.RESOLVED, True)


def test_a_child_is_open_not_major_not_another_parents_and_not_the_parent() -> None:
    check_child("childNumbers[0]", "INC2", IncidentState.NEW, False, None, "INC1")
    check_child("childNumbers[0]", "INC2", IncidentState.NEW, False, "INC1", "INC1")
    with pytest.raises(Conflict, match="already a child of INC9"):
        check_child("childNumbers[0]", "INC2", IncidentState.NEW, False, "INC9", "INC1")
    with pytest.raises(Conflict, match="major incident itself"):
        check_child("childNumbers[0]", "INC2", IncidentState.NEW, True, None, "INC1")
    with pytest.raises(Conflict, match="CLOSED"):
        check_child("childNumbers[0]", "INC2", IncidentState.CLOSED, False, None, "INC1")
    with pytest.raises(InvalidInput):
        check_child("childNumbers[0]", "INC1", IncidentState.NEW, False, None, "INC1")


def test_incidents_cluster_where_each_opened_within_the_window_of_the_one_before() -> None:
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    opened = {
        "a": start,
        "b": start + timedelta(hours=3),
        "f": start + timedelta(hours=6, minutes=59),
        "c": start + timedelta(hours=12),
        "d": start + timedelta(hours=14),
        "e": start + timedelta(days=3),
    }

    clusters = time_clusters(opened, timedelta(hours=4))

    # a, b, f chain (3 h, then 3 h 59 min apart); c and d are the evening's pair; e is alone.
    assert clusters == [("a", "b", "f"), ("c", "d")]
