"""Major incidents: promoting an open incident, grouping child incidents under it (the rules,
the refusals that write nothing, two writers at once), and resolving it, which resolves every
open child with the parent's resolution, each with its own recorded transitions and history."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.clock import MovableClock
from tests.conftest import GraphQLClient
from tests.resolvers.incidents.helpers import a_ci, get, open_incident, transition

FAMILY = """
query($number: String!) {
  incident(number: $number) {
    major majorReason version parent { number } children { number state resolution }
  }
}
"""
FIELDS = (
    "incident { number major majorReason version children { number } } "
    "errors { field code message }"
)
PROMOTE = (
    "mutation($input: PromoteMajorIncidentInput!) { promoteMajorIncident(input: $input) { "
    + FIELDS
    + " } }"
)
LINK = (
    "mutation($input: LinkChildIncidentsInput!) { linkChildIncidents(input: $input) { "
    + FIELDS
    + " } }"
)
UNLINK = (
    "mutation($input: UnlinkChildIncidentInput!) { unlinkChildIncident(input: $input) { "
    + FIELDS
    + " } }"
)


async def promote(gql: GraphQLClient, number: str, reason: str = "shop down") -> dict[str, Any]:
    payload: dict[str, Any] = (await gql(PROMOTE, input={"number": number, "reason": reason}))[
        "promoteMajorIncident"
    ]
    return payload


async def link(gql: GraphQLClient, number: str, *children: str) -> dict[str, Any]:
    data = await gql(LINK, input={"number": number, "childNumbers": list(children)})
    payload: dict[str, Any] = data["linkChildIncidents"]
    return payload


async def unlink(gql: GraphQLClient, number: str, child: str) -> dict[str, Any]:
    data = await gql(UNLINK, input={"number": number, "childNumber": child})
    payload: dict[str, Any] = data["unlinkChildIncident"]
    return payload


async def family(gql: GraphQLClient, number: str) -> dict[str, Any]:
    found: dict[str, Any] = (await gql(FAMILY, number=number))["incident"]
    return found


async def numbers(gql: GraphQLClient, count: int) -> list[str]:
    ci = await a_ci(gql)
    return [(await open_incident(gql, [ci], title=f"report {n}"))["number"] for n in range(count)]


async def test_resolving_a_promoted_parent_resolves_its_linked_open_children(
    gql: GraphQLClient, clock: MovableClock
) -> None:
    ci = await a_ci(gql)
    parent = (await open_incident(gql, [ci], title="Payments down", impact=1, urgency=1))["number"]
    fresh = (await open_incident(gql, [ci], title="cannot pay"))["number"]
    held = (await open_incident(gql, [ci], title="card refused"))["number"]
    done = (await open_incident(gql, [ci], title="slow pay"))["number"]
    assert (await promote(gql, parent, "payments down for everyone"))["errors"] == []
    assert (await link(gql, parent, fresh, held, done))["errors"] == []
    await transition(gql, held, "IN_PROGRESS")
    await transition(gql, held, "ON_HOLD")
    await transition(gql, done, "CANCELLED")
    at = clock.advance(minutes=30)

    payload = await transition(
        gql, parent, "RESOLVED", note="fixed", resolution="rolled back the payment gateway"
    )

    assert payload["errors"] == []
    assert (await family(gql, parent))["children"] == [
        {"number": fresh, "state": "RESOLVED", "resolution": "rolled back the payment gateway"},
        {"number": held, "state": "RESOLVED", "resolution": "rolled back the payment gateway"},
        {"number": done, "state": "CANCELLED", "resolution": None},
    ]
    held_incident = await get(gql, held)
    assert [(t["from"], t["to"], t["note"], t["at"]) for t in held_incident["transitions"][2:]] == [
        ("ON_HOLD", "IN_PROGRESS", f"resolved with {parent}", at.isoformat()),
        ("IN_PROGRESS", "RESOLVED", f"resolved with {parent}", at.isoformat()),
    ]
    fresh_incident = await get(gql, fresh)
    assert [(t["from"], t["to"]) for t in fresh_incident["transitions"]] == [("NEW", "RESOLVED")]
    summaries = [e["node"]["summary"] for e in fresh_incident["history"]["edges"]]
    assert f"{fresh} NEW -> RESOLVED: resolved with {parent}" in summaries
    child = await family(gql, fresh)
    assert child["parent"] == {"number": parent}
    assert (child["major"], child["majorReason"], child["children"]) == (False, None, [])


async def test_promoting_an_open_incident_makes_it_major_with_its_reason_and_an_event(
    gql: GraphQLClient,
) -> None:
    [number] = await numbers(gql, 1)

    payload = await promote(gql, number, "  the whole shop is down  ")

    assert payload["errors"] == []
    assert payload["incident"] == {
        "number": number,
        "major": True,
        "majorReason": "the whole shop is down",
        "version": 2,
        "children": [],
    }
    events = [e["node"] for e in (await get(gql, number))["history"]["edges"]]
    [event] = [e for e in events if e["operation"] == "promoteMajorIncident"]
    assert event["summary"] == f"{number} promoted: the whole shop is down"
    assert {c["field"]: (c["before"], c["after"]) for c in event["changes"]} == {
        "major": ("false", "true"),
        "majorReason": (None, '"the whole shop is down"'),
    }


async def test_promotion_is_refused_without_a_reason_and_for_closed_major_or_child_incidents(
    gql: GraphQLClient,
) -> None:
    parent, child, resolved, cancelled = await numbers(gql, 4)
    assert (await promote(gql, parent))["errors"] == []
    assert (await link(gql, parent, child))["errors"] == []
    await transition(gql, resolved, "RESOLVED", resolution="rebooted")
    await transition(gql, cancelled, "CANCELLED")
    before = {n: (await family(gql, n))["version"] for n in (parent, child, resolved, cancelled)}

    refusals = {
        "blank": await promote(gql, child, "   "),
        "major": await promote(gql, parent, "again"),
        "child": await promote(gql, child),
        "resolved": await promote(gql, resolved),
        "cancelled": await promote(gql, cancelled),
        "unknown": await promote(gql, "INC0999999"),
    }

    assert {k: (p["incident"], p["errors"]) for k, p in refusals.items()} == {
        "blank": (
            None,
            [{"field": "reason", "code": "REQUIRED", "message": "say why it is a major incident"}],
        ),
        "major": (
            None,
            [
                {
                    "field": "number",
                    "code": "CONFLICT",
                    "message": f"{parent} is a major incident already",
                }
            ],
        ),
        "child": (
            None,
            [
                {
                    "field": "number",
                    "code": "CONFLICT",
                    "message": f"{child} is a child of {parent}; unlink it from {parent} "
                    "before promoting it",
                }
            ],
        ),
        "resolved": (
            None,
            [
                {
                    "field": "number",
                    "code": "CONFLICT",
                    "message": f"{resolved} is RESOLVED: only an open incident (NEW, "
                    "IN_PROGRESS, ON_HOLD) can be promoted",
                }
            ],
        ),
        "cancelled": (None, [p for p in refusals["cancelled"]["errors"]]),
        "unknown": (
            None,
            [
                {
                    "field": "number",
                    "code": "NOT_FOUND",
                    "message": "no incident has the number INC0999999",
                }
            ],
        ),
    }
    assert refusals["cancelled"]["errors"][0]["code"] == "CONFLICT"
    after = {n: (await family(gql, n))["version"] for n in before}
    assert after == before
    assert (await family(gql, child))["major"] is False


async def test_linking_children_records_the_family_on_parent_and_children(
    gql: GraphQLClient,
) -> None:
    parent, first, second = await numbers(gql, 3)
    await promote(gql, parent)

    payload = await link(gql, parent, second.lower(), first, second)

    assert payload["errors"] == []
    assert payload["incident"]["children"] == [{"number": first}, {"number": second}]
    assert payload["incident"]["version"] == 3
    for child in (first, second):
        found = await family(gql, child)
        assert (found["parent"], found["version"]) == ({"number": parent}, 2)
        events = [e["node"] for e in (await get(gql, child))["history"]["edges"]]
        [event] = [e for e in events if e["operation"] == "linkChildIncidents"]
        assert event["summary"] == f"{parent} groups {first}, {second}"
    again = await link(gql, parent, first)
    assert again["errors"] == []
    assert again["incident"]["version"] == 3


async def test_linking_is_refused_for_a_parent_not_major_or_closed_and_for_unfit_children(
    gql: GraphQLClient,
) -> None:
    parent, other, plain, taken, resolved, major = await numbers(gql, 6)
    for number in (parent, other, major):
        assert (await promote(gql, number))["errors"] == []
    assert (await link(gql, other, taken))["errors"] == []
    await transition(gql, resolved, "RESOLVED", resolution="rebooted")
    versions = {n: (await family(gql, n))["version"] for n in (parent, plain, taken, resolved)}

    def refused(payload: dict[str, Any]) -> list[tuple[str, str, str]]:
        assert payload["incident"] is None
        return [(e["field"], e["code"], e["message"]) for e in payload["errors"]]

    assert refused(await link(gql, plain, taken)) == [
        (
            "number",
            "CONFLICT",
            f"{plain} is not a major incident: promote it before linking children",
        )
    ]
    assert refused(await link(gql, parent, plain, taken)) == [
        (
            "childNumbers[1]",
            "CONFLICT",
            f"{taken} is already a child of {other}; unlink it from {other} first",
        )
    ]
    assert refused(await link(gql, parent, resolved)) == [
        (
            "childNumbers[0]",
            "CONFLICT",
            f"{resolved} is RESOLVED: only an open incident becomes a child",
        )
    ]
    assert refused(await link(gql, parent, major))[0][:2] == ("childNumbers[0]", "CONFLICT")
    assert refused(await link(gql, parent, parent)) == [
        ("childNumbers[0]", "INVALID_VALUE", f"{parent} cannot be its own child")
    ]
    assert refused(await link(gql, parent, plain, "INC0999999")) == [
        ("childNumbers[1]", "NOT_FOUND", "no incident has the number INC0999999")
    ]
    assert refused(await link(gql, parent)) == [
        ("childNumbers", "REQUIRED", "name at least one child incident")
    ]
    await transition(gql, parent, "RESOLVED", resolution="fixed")
    versions[parent] += 1
    assert refused(await link(gql, parent, plain))[0][:2] == ("number", "CONFLICT")
    assert {n: (await family(gql, n))["version"] for n in versions} == versions
    assert (await family(gql, plain))["parent"] is None


async def test_unlinking_a_child_takes_it_out_of_its_major_incident(gql: GraphQLClient) -> None:
    parent, child, stranger = await numbers(gql, 3)
    await promote(gql, parent)
    await link(gql, parent, child)

    payload = await unlink(gql, parent, child.lower())
    not_a_child = await unlink(gql, parent, stranger)

    assert payload["errors"] == []
    assert payload["incident"]["children"] == []
    assert (await family(gql, child))["parent"] is None
    summaries = [e["node"]["summary"] for e in (await get(gql, child))["history"]["edges"]]
    assert f"{parent} no longer groups {child}" in summaries
    assert not_a_child["errors"] == [
        {
            "field": "childNumber",
            "code": "NOT_FOUND",
            "message": f"{stranger} is not a child of {parent}",
        }
    ]
    assert (await promote(gql, child))["errors"] == []


async def test_two_parents_linking_one_child_at_once_one_wins_the_other_conflicts(
    gql: GraphQLClient,
) -> None:
    first, second, child = await numbers(gql, 3)
    for parent in (first, second):
        await promote(gql, parent)

    results = await asyncio.gather(*(link(gql, parent, child) for parent in (first, second)))

    won = [r for r in results if r["errors"] == []]
    lost = [r for r in results if r["errors"]]
    assert (len(won), len(lost)) == (1, 1)
    winner = won[0]["incident"]["number"]
    assert [e["code"] for e in lost[0]["errors"]] == ["CONFLICT"]
    assert f"already a child of {winner}" in lost[0]["errors"][0]["message"]
    assert (await family(gql, child))["parent"] == {"number": winner}


async def test_two_promotions_of_one_incident_at_once_one_wins(gql: GraphQLClient) -> None:
    [number] = await numbers(gql, 1)

    results = await asyncio.gather(*(promote(gql, number, f"reason {n}") for n in range(2)))

    assert sorted(len(r["errors"]) for r in results) == [0, 1]
    [lost] = [r for r in results if r["errors"]]
    assert lost["errors"][0]["code"] == "CONFLICT"
    [won] = [r for r in results if not r["errors"]]
    found = await family(gql, number)
    assert (found["majorReason"], found["version"]) == (won["incident"]["majorReason"], 2)
