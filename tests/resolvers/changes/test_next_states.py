"""`Change.nextStates`: the states `transitionChange` accepts from where a change is, per type,
read back from the API and checked against what `transitionChange` then does."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.resolvers.changes.helpers import a_ci, approve, move, open_change, transition

NEXT = "query($number: String!) { change(number: $number) { state nextStates } }"
STATES = ["DRAFT", "ASSESS", "AUTHORIZE", "SCHEDULED", "IMPLEMENT", "REVIEW", "CLOSED"]
STATES += ["REJECTED", "CANCELLED"]


async def next_states(gql: GraphQLClient, number: str) -> list[str]:
    change = (await gql(NEXT, number=number))["change"]
    states: list[str] = change["nextStates"]
    return states


async def test_a_normal_change_offers_each_step_of_its_life_and_nothing_once_closed(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]

    assert await next_states(gql, number) == ["ASSESS", "CANCELLED"]
    await move(gql, number, "ASSESS")
    assert await next_states(gql, number) == ["AUTHORIZE", "CANCELLED"]
    await move(gql, number, "AUTHORIZE")
    # Out of AUTHORIZE the CAB decides (approveChange, rejectChange); transitionChange only
    # takes it back to ASSESS or cancels it.
    assert await next_states(gql, number) == ["ASSESS", "CANCELLED"]
    assert (await approve(gql, number, "fine"))["errors"] == []
    assert await next_states(gql, number) == ["IMPLEMENT", "ASSESS", "CANCELLED"]
    await move(gql, number, "IMPLEMENT")
    assert await next_states(gql, number) == ["REVIEW"]
    await move(gql, number, "REVIEW")
    assert await next_states(gql, number) == ["CLOSED"]
    await move(gql, number, "CLOSED", outcome="SUCCESSFUL")
    assert await next_states(gql, number) == []


async def test_a_standard_change_is_offered_scheduling_straight_after_assessment(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci], type="STANDARD"))["number"]
    await move(gql, number, "ASSESS")

    assert await next_states(gql, number) == ["SCHEDULED", "CANCELLED"]


async def test_every_offered_state_is_accepted_and_every_other_refused(
    gql: GraphQLClient,
) -> None:
    ci = await a_ci(gql)
    for change_type in ("STANDARD", "NORMAL", "EMERGENCY"):
        for steps in ([], ["ASSESS"]):
            probe = (await open_change(gql, [ci], type=change_type))["number"]
            await move(gql, probe, *steps)
            offered = await next_states(gql, probe)
            assert offered, (change_type, steps)
            for to in STATES:
                number = (await open_change(gql, [ci], type=change_type))["number"]
                await move(gql, number, *steps)
                codes = [e["code"] for e in (await transition(gql, number, to))["errors"]]
                assert codes == ([] if to in offered else ["INVALID_TRANSITION"]), (
                    change_type,
                    steps,
                    to,
                )


async def test_a_rejected_change_offers_nothing(gql: GraphQLClient) -> None:
    ci = await a_ci(gql)
    number = (await open_change(gql, [ci]))["number"]
    await move(gql, number, "ASSESS", "AUTHORIZE")
    reject = await gql(
        'mutation($n: String!) { rejectChange(input: {number: $n, comment: "no"}) '
        "{ change { state nextStates } errors { code } } }",
        n=number,
    )

    assert reject["rejectChange"] == {
        "change": {"state": "REJECTED", "nextStates": []},
        "errors": [],
    }
