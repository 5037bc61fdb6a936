"""`totalCount` on every record list: problems (with each filter), knownErrors (by its search)
and releases (by state and type) count what their filters match, across pages."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import open_change
from tests.resolvers.helpers import create_ci
from tests.resolvers.problems.helpers import new_problem, transition
from tests.resolvers.releases.helpers import a_release

PROBLEM_COUNT = """
query($filter: ProblemFilter) {
  problems(filter: $filter, first: 1) { totalCount edges { node { number } } }
}
"""
KNOWN_ERROR_COUNT = """
query($search: String!) { knownErrors(search: $search, first: 1) { totalCount } }
"""
RELEASE_COUNT = """
query($filter: ReleaseFilter) { releases(filter: $filter, first: 1) { totalCount } }
"""
WINDOW = {"plannedStart": "2030-03-10T22:00:00+00:00", "plannedEnd": "2030-03-10T23:00:00+00:00"}


async def problem_count(gql: GraphQLClient, **filter: object) -> int:
    data = await gql(PROBLEM_COUNT, filter=filter or None)
    count: int = data["problems"]["totalCount"]
    return count


async def test_problems_and_known_errors_count_what_their_filters_match(
    gql: GraphQLClient,
) -> None:
    for i in range(3):
        await new_problem(gql, f"connection pool exhausted {i}", workaround="restart the pool")
    known = (await new_problem(gql, "disk fills up", workaround="rotate the logs"))["number"]
    for to in ("ROOT_CAUSE_ANALYSIS", "KNOWN_ERROR"):
        assert (await transition(gql, known, to))["errors"] == []

    assert await problem_count(gql) == 4
    assert await problem_count(gql, states=["KNOWN_ERROR"]) == 1
    assert await problem_count(gql, search="pool") == 3
    assert await problem_count(gql, search="pool", states=["KNOWN_ERROR"]) == 0
    assert (await gql(KNOWN_ERROR_COUNT, search="logs"))["knownErrors"]["totalCount"] == 1
    assert (await gql(KNOWN_ERROR_COUNT, search="pool"))["knownErrors"]["totalCount"] == 0


async def test_a_count_with_bad_search_text_is_refused_like_the_page(gql: GraphQLClient) -> None:
    body = await gql.raw(PROBLEM_COUNT, filter={"search": "pool AND ("})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_releases_count_what_their_filter_matches(gql: GraphQLClient) -> None:
    ci = await create_ci(gql, "orders-db", "DATABASE")
    for i in range(3):
        change = await open_change(gql, [ci], title=f"Patch {i}", **WINDOW)
        await a_release(gql, change["number"], name=f"R{i}", type="MAJOR" if i else "MINOR")

    all_releases = await gql(RELEASE_COUNT, filter=None)
    major = await gql(RELEASE_COUNT, filter={"types": ["MAJOR"]})
    deployed = await gql(RELEASE_COUNT, filter={"states": ["CLOSED"]})

    assert all_releases["releases"]["totalCount"] == 3
    assert major["releases"]["totalCount"] == 2
    assert deployed["releases"]["totalCount"] == 0
