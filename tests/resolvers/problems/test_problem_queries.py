"""problem, problems, knownErrors and problemSuggestions: paging, the known error database's
search, proactive suggestions, bounds, and the round trips of a page."""

from __future__ import annotations

from typing import Any

from graph import Database
from tests.conftest import GraphQLClient
from tests.resolvers.helpers import create_ci
from tests.resolvers.problems.helpers import new_problem, open_incident, transition

PROBLEMS = """
query($filter: ProblemFilter, $first: Int, $after: String) {
  problems(filter: $filter, first: $first, after: $after) {
    edges { cursor node { number title state incidentNumbers transitions { to }
                          rootCause { id name } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

KNOWN_ERRORS = """
query($search: String!, $first: Int, $after: String) {
  knownErrors(search: $search, first: $first, after: $after) {
    edges { node { number title workaround knownError } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def known_error(gql: GraphQLClient, title: str, workaround: str) -> str:
    number: str = (await new_problem(gql, title, workaround=workaround))["number"]
    for to in ("ROOT_CAUSE_ANALYSIS", "KNOWN_ERROR"):
        assert (await transition(gql, number, to))["errors"] == []
    return number


def numbers(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["number"] for edge in connection["edges"]]


async def test_an_unknown_number_is_null(gql: GraphQLClient) -> None:
    assert (await gql('{ problem(number: "PRB0009999") { id } }'))["problem"] is None


async def test_problems_come_newest_first_a_page_at_a_time(gql: GraphQLClient) -> None:
    created = [(await new_problem(gql, f"problem {i}"))["number"] for i in range(5)]

    first = (await gql(PROBLEMS, first=2))["problems"]
    second = (await gql(PROBLEMS, first=2, after=first["pageInfo"]["endCursor"]))["problems"]
    last = (await gql(PROBLEMS, first=2, after=second["pageInfo"]["endCursor"]))["problems"]

    assert numbers(first) + numbers(second) + numbers(last) == created[::-1]
    assert [p["pageInfo"]["hasNextPage"] for p in (first, second, last)] == [True, True, False]
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert second["pageInfo"]["hasPreviousPage"] is True


async def test_problems_filter_by_state_root_cause_and_text(gql: GraphQLClient) -> None:
    ci_id = await create_ci(gql, "orders-db", "DATABASE")
    leak = (await new_problem(gql, "Connection leak", rootCauseCiId=ci_id))["number"]
    other = (await new_problem(gql, "Certificate expired"))["number"]
    await transition(gql, other, "ROOT_CAUSE_ANALYSIS")

    by_state = await gql(PROBLEMS, filter={"states": ["ROOT_CAUSE_ANALYSIS"]})
    by_cause = await gql(PROBLEMS, filter={"rootCauseCiId": ci_id})
    by_text = await gql(PROBLEMS, filter={"search": "certificate", "states": None})
    blank = await gql(PROBLEMS, filter={"search": "  "})

    assert numbers(by_state["problems"]) == [other]
    assert numbers(by_cause["problems"]) == [leak]
    assert by_cause["problems"]["edges"][0]["node"]["rootCause"]["name"] == "orders-db"
    assert numbers(by_text["problems"]) == [other]
    assert numbers(blank["problems"]) == [other, leak]


async def test_a_page_of_problems_is_one_round_trip_and_their_root_causes_one_more(
    gql: GraphQLClient, db: Database
) -> None:
    ci_ids = [await create_ci(gql, f"db-{i}", "DATABASE") for i in range(3)]
    for i, ci_id in enumerate(ci_ids):
        incident = await open_incident(gql)
        await new_problem(gql, f"problem {i}", rootCauseCiId=ci_id, incidentNumbers=[incident])
    without_cis = PROBLEMS.replace("rootCause { id name }", "")

    before = db.round_trips
    page = await gql(without_cis, first=10)
    page_only = db.round_trips - before
    before = db.round_trips
    with_cis = await gql(PROBLEMS, first=10)
    with_root_causes = db.round_trips - before

    assert len(page["problems"]["edges"]) == len(with_cis["problems"]["edges"]) == 3
    assert (page_only, with_root_causes) == (1, 2)


async def test_the_known_error_database_finds_a_workaround_by_a_word_of_its_text(
    gql: GraphQLClient,
) -> None:
    wanted = await known_error(gql, "Orders rejected", "Restart the order service pods")
    await known_error(gql, "Slow reports", "Run the nightly batch by hand")
    analysed = (await new_problem(gql, "Pods crash", workaround="Restart the pods"))["number"]
    await transition(gql, analysed, "ROOT_CAUSE_ANALYSIS")

    found = (await gql(KNOWN_ERRORS, search="pods"))["knownErrors"]

    assert numbers(found) == [wanted]
    assert found["edges"][0]["node"]["workaround"] == "Restart the order service pods"
    assert found["edges"][0]["node"]["knownError"] is True


async def test_known_errors_come_best_match_first_a_page_at_a_time(gql: GraphQLClient) -> None:
    best = await known_error(gql, "Pods restart loop", "Restart the pods, pods first")
    for i in range(3):
        await known_error(gql, f"Other {i}", f"Restart the pods of system {i}")

    first = (await gql(KNOWN_ERRORS, search="pods", first=2))["knownErrors"]
    rest = await gql(KNOWN_ERRORS, search="pods", after=first["pageInfo"]["endCursor"])

    assert numbers(first)[0] == best
    all_found = numbers(first) + numbers(rest["knownErrors"])
    assert len(all_found) == len(set(all_found)) == 4
    assert first["pageInfo"]["hasNextPage"] is True
    assert rest["knownErrors"]["pageInfo"]["hasNextPage"] is False


async def test_a_malformed_search_is_a_bad_request_that_says_what_is_wrong(
    gql: GraphQLClient,
) -> None:
    known = await gql.raw(KNOWN_ERRORS, search='"unclosed')
    listed = await gql.raw(PROBLEMS, filter={"search": "(pods"})
    blank = await gql.raw(KNOWN_ERRORS, search="   ")

    for body, field in ((known, "search"), (listed, "filter.search")):
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"].startswith(f"{field}: cannot read the search text")
    assert blank["errors"][0]["message"].startswith("search: give a word")


async def test_a_cursor_of_one_list_is_refused_by_the_other(gql: GraphQLClient) -> None:
    await new_problem(gql, "one")
    await new_problem(gql, "two")
    cursor = (await gql(PROBLEMS, first=1))["problems"]["pageInfo"]["endCursor"]

    refused = await gql.raw(KNOWN_ERRORS, search="one", after=cursor)

    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


ORDERED = """
query($first: Int, $after: String, $orderBy: ProblemOrder, $filter: ProblemFilter) {
  problems(first: $first, after: $after, orderBy: $orderBy, filter: $filter) {
    edges { node { number } } pageInfo { hasNextPage endCursor }
  }
}
"""


async def _walk(gql: GraphQLClient, order: dict[str, str], **more: Any) -> list[str]:
    """Every problem in `order`, two at a time."""
    found: list[str] = []
    after = None
    while True:
        page = (await gql(ORDERED, first=2, after=after, orderBy=order, **more))["problems"]
        found += numbers(page)
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def test_problems_page_in_the_order_asked_and_cursors_keep_to_it(
    gql: GraphQLClient,
) -> None:
    created = [(await new_problem(gql, f"leak {i}"))["number"] for i in range(5)]

    oldest_first = await _walk(gql, {"field": "OPENED_AT", "direction": "ASC"})
    by_number = await _walk(gql, {"field": "NUMBER", "direction": "DESC"})
    numbers_up = await _walk(gql, {"field": "NUMBER", "direction": "ASC"})
    searched = await _walk(gql, {"direction": "ASC"}, filter={"search": "leak"})
    default = (await gql(ORDERED, first=2))["problems"]
    crossed = await gql.raw(
        ORDERED, first=2, after=default["pageInfo"]["endCursor"], orderBy={"direction": "ASC"}
    )

    assert oldest_first == numbers_up == searched == created
    assert by_number == created[::-1]
    assert numbers(default) == created[::-1][:2]
    [error] = crossed["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "cursor of problems, not of problems by OPENED_AT ASC" in error["message"]
