"""The change assessment page and the change calendar in a real browser, on the demo CMDB: a
change walks from assessment to approval through the buttons a change manager and a CAB member
are offered; a viewer is offered none, and sees a transition made elsewhere live; the calendar
shows the demo's changes on their days and its freeze shaded and named; a conflict links to
the other records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from playwright.async_api import Page, expect

from graph.events import CHANGES
from tests.conftest import GraphQLClient
from tests.live import Live
from tests.ui.browser import api_token, sign_in
from tests.ui.conftest import Watched

FIND = """
query($text: String!) {
  changes(first: 1, filter: {search: $text}) {
    edges { node {
      id number title state plannedStart
      approvals { approver decision }
      conflicts { kind change { id number } incident { id } ci { id } }
    } }
  }
}
"""
FREEZES = """
query($from: DateTime!, $to: DateTime!) { blackoutWindows(from: $from, to: $to) { name start end } }
"""
CATALOG = "Add an index to the Catalog & Stock Database"
"""A normal change of the demo in ASSESS, overlapping a scheduled change."""
POSTGRES = "Upgrade PostgreSQL on the Orders Database to 16.4"
"""A normal change of the demo waiting for the CAB (AUTHORIZE)."""


@asynccontextmanager
async def admin_api(server: Live) -> AsyncIterator[GraphQLClient]:
    """GraphQL over HTTP to the live server as an admin, patient with a loaded machine (the
    demo's changes are assessed when read)."""
    async with httpx.AsyncClient(base_url=f"http://{server.address}", timeout=60) as http:
        yield GraphQLClient(http)


async def demo_change(server: Live, title: str) -> dict[str, Any]:
    """The demo change called `title`, as an admin reads it through the API."""
    async with admin_api(server) as gql:
        data = await gql(FIND, text=title)
    (edge,) = data["changes"]["edges"]
    node: dict[str, Any] = edge["node"]
    assert node["title"] == title
    return node


def month_of(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(UTC).strftime("%Y-%m")


def day_of(moment: str) -> str:
    return datetime.fromisoformat(moment).astimezone(UTC).strftime("%Y-%m-%d")


async def offered(page: Page) -> list[str]:
    """The labels of the action buttons the change page offers."""
    return await page.locator("#change-actions button").all_inner_texts()


async def test_a_change_walks_from_assessment_to_approval_through_the_buttons(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, CATALOG)
    assert change["state"] == "ASSESS"
    manager = await api_token(demo_server.address, "ui-change-manager", ["CHANGE_MANAGER"])
    cab = await api_token(demo_server.address, "ui-cab", ["CAB"])
    at = f"#/change/{change['id']}"

    await sign_in(page, demo_server.address, manager, at)

    await expect(page.locator("#change-number")).to_have_text(change["number"])
    await expect(page.locator("#change-state")).to_have_text("ASSESS")
    await expect(page.locator("#change-type")).to_have_text("NORMAL")
    await expect(page.locator("#change-services li.service", has_text="Online Shop")).to_have_count(
        1
    )
    assert await page.locator("#change-risk table.factors tbody tr").count() > 0
    assert await offered(page) == ["Move to AUTHORIZE", "Move to CANCELLED"]

    await page.get_by_role("button", name="Move to AUTHORIZE").click()

    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")
    await expect(page.locator("#approval-summary")).to_have_text(
        "0 of 1 required approval; not authorised"
    )
    # Out of AUTHORIZE the CAB decides: the change manager may only take it back or cancel it.
    assert await offered(page) == ["Move to ASSESS", "Move to CANCELLED"]

    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, demo_server.address, cab, at)

    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")
    assert await offered(page) == ["Approve", "Reject"]
    # A rejection needs a comment: the payload's error, as the API returns it.
    await page.get_by_role("button", name="Reject").click()
    await expect(page.locator("#errors .error code")).to_have_text("REQUIRED")
    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")

    await page.get_by_label("CAB comment").fill("Fine outside the peak")
    await page.get_by_role("button", name="Approve").click()

    await expect(page.locator("#change-state")).to_have_text("SCHEDULED")
    await expect(page.locator("#errors")).to_be_empty()
    approval = page.locator("#change-approvals tr.approval td")
    await expect(approval).to_have_count(4)
    await expect(approval.nth(0)).to_have_text("ui-cab")
    await expect(approval.nth(1)).to_have_text("APPROVED")
    await expect(approval.nth(3)).to_have_text("Fine outside the peak")
    await expect(page.locator("#authorised")).to_have_text("authorised")
    await expect(page.locator("#no-actions")).to_be_visible()
    stored = await demo_change(demo_server, CATALOG)
    assert stored["state"] == "SCHEDULED"
    assert stored["approvals"] == [{"approver": "ui-cab", "decision": "APPROVED"}]
    assert watched.problems == []


async def test_a_viewer_is_offered_no_action_and_an_admin_every_one(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, POSTGRES)
    assert change["state"] == "AUTHORIZE"
    viewer = await api_token(demo_server.address, "ui-viewer", ["VIEWER"])
    admin = await api_token(demo_server.address, "ui-admin", ["ADMIN"])
    at = f"#/change/{change['id']}"

    await sign_in(page, demo_server.address, viewer, at)

    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")
    await expect(page.locator("#no-actions")).to_contain_text("No action for your roles (VIEWER)")
    assert await offered(page) == []
    await expect(page.locator("#change-actions textarea")).to_have_count(0)

    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, demo_server.address, admin, at)

    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")
    await expect(page.get_by_role("button", name="Approve")).to_be_visible()
    assert await offered(page) == ["Move to ASSESS", "Move to CANCELLED", "Approve", "Reject"]
    assert watched.problems == []


TRANSITION = """
mutation($number: String!) {
  transitionChange(input: {number: $number, to: CANCELLED, note: "cancelled by another client"}) {
    change { state }
    errors { code message }
  }
}
"""


async def test_a_transition_made_by_another_client_shows_live_on_an_open_change_page(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, POSTGRES)
    assert change["state"] == "AUTHORIZE"
    viewer = await api_token(demo_server.address, "ui-live-viewer", ["VIEWER"])
    await sign_in(page, demo_server.address, viewer, f"#/change/{change['id']}")
    await expect(page.locator("#change-state")).to_have_text("AUTHORIZE")
    await demo_server.until_subscribed(CHANGES)

    async with admin_api(demo_server) as gql:
        data = await gql(TRANSITION, number=change["number"])
    assert data["transitionChange"]["errors"] == []

    # No reload: the page follows changeUpdated and reads the change again.
    await expect(page.locator("#change-state")).to_have_text("CANCELLED")
    await expect(page.locator("#change").get_by_text("cancelled by another client")).to_be_visible()
    assert watched.problems == []


CREATE = """
mutation($title: String!, $targets: [ID!]!, $start: DateTime!, $end: DateTime!) {
  createChange(input: {title: $title, type: NORMAL, targetCiIds: $targets,
                       plannedStart: $start, plannedEnd: $end}) {
    change { id number }
    errors { code message }
  }
}
"""
TARGETS = "query($id: ID!) { node(id: $id) { ... on Change { targetCiIds } } }"


async def test_a_change_created_by_another_client_appears_live_on_the_open_calendar(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, CATALOG)
    viewer = await api_token(demo_server.address, "ui-calendar-live", ["VIEWER"])
    month = month_of(change["plannedStart"])
    await sign_in(page, demo_server.address, viewer, f"#/changes/{month}")
    day = page.locator(f"#calendar .day[data-date='{day_of(change['plannedStart'])}']")
    await expect(day.locator("a.change-item", has_text=change["number"])).to_be_visible()
    await demo_server.until_subscribed(CHANGES)

    start = datetime.fromisoformat(change["plannedStart"])
    async with admin_api(demo_server) as gql:
        targets = (await gql(TARGETS, id=change["id"]))["node"]["targetCiIds"]
        data = await gql(
            CREATE,
            title="Rotate the certificates",
            targets=targets,
            start=start.isoformat(),
            end=(start + timedelta(hours=1)).isoformat(),
        )
    assert data["createChange"]["errors"] == []
    made = data["createChange"]["change"]

    # No reload: the calendar follows changeUpdated and reads the month again.
    await expect(day.locator("a.change-item", has_text=made["number"])).to_have_attribute(
        "href", f"#/change/{made['id']}"
    )
    assert watched.problems == []


async def test_the_calendar_shows_a_change_on_its_day_and_the_freeze_shaded_and_named(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, CATALOG)
    viewer = await api_token(demo_server.address, "ui-calendar", ["VIEWER"])
    month = month_of(change["plannedStart"])

    await sign_in(page, demo_server.address, viewer, f"#/changes/{month}")

    await expect(page.locator("#calendar-month")).to_have_attribute("data-month", month)
    day = page.locator(f"#calendar .day[data-date='{day_of(change['plannedStart'])}']")
    link = day.locator("a.change-item", has_text=change["number"])
    await expect(link).to_have_text(f"⚠ {change['number']} {CATALOG}")
    await expect(link).to_have_attribute("href", f"#/change/{change['id']}")
    await expect(page.get_by_role("link", name="Changes")).to_have_class("current")

    # The demo's freeze, in its own month: each day it covers shaded, with its name.
    start = datetime.fromisoformat(change["plannedStart"]).astimezone(UTC)
    async with admin_api(demo_server) as gql:
        freezes = await gql(
            FREEZES,
            **{"from": start.isoformat(), "to": (start + timedelta(days=300)).isoformat()},
        )
    freeze = freezes["blackoutWindows"][0]
    await page.goto(f"http://{demo_server.address}/ui/#/changes/{month_of(freeze['start'])}")
    frozen = page.locator(f"#calendar .day[data-date='{day_of(freeze['start'])}']")
    await expect(frozen).to_have_class("day frozen")
    await expect(frozen.locator(".freeze")).to_have_text(freeze["name"])
    await expect(page.locator("#freezes")).to_contain_text(freeze["name"])

    # Next and previous month.
    await page.goto(f"http://{demo_server.address}/ui/#/changes/{month}")
    await expect(page.locator("#calendar-month")).to_have_attribute("data-month", month)
    following = f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}"
    await page.get_by_role("button", name="Next month").click()
    await expect(page.locator("#calendar-month")).to_have_attribute("data-month", following)
    await page.get_by_role("button", name="Previous month").click()
    await expect(page.locator("#calendar-month")).to_have_attribute("data-month", month)

    await day.locator("a.change-item", has_text=change["number"]).click()
    await expect(page.locator("#change-number")).to_have_text(change["number"])
    assert watched.problems == []


async def test_a_conflict_links_to_the_other_change_its_incident_and_the_ci(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    change = await demo_change(demo_server, CATALOG)
    kinds = {c["kind"]: c for c in change["conflicts"]}
    overlapping, incident = kinds["OVERLAPPING_CHANGE"], kinds["OPEN_INCIDENT"]
    viewer = await api_token(demo_server.address, "ui-conflicts", ["VIEWER"])

    await sign_in(page, demo_server.address, viewer, f"#/change/{change['id']}")

    other = page.locator("#change-conflicts li[data-kind='OVERLAPPING_CHANGE']")
    await expect(other.locator(".reason")).to_contain_text(overlapping["change"]["number"])
    await expect(other.locator("a.link.ci")).to_have_attribute(
        "href", f"#/explorer/{overlapping['ci']['id']}"
    )
    open_incident = page.locator("#change-conflicts li[data-kind='OPEN_INCIDENT']")
    await expect(open_incident.locator("a.link.incident")).to_have_attribute(
        "href", f"#/incident/{incident['incident']['id']}"
    )

    await other.locator("a.link.change").click()

    await expect(page.locator("#change-number")).to_have_text(overlapping["change"]["number"])
    assert page.url.endswith(f"#/change/{overlapping['change']['id']}")
    assert watched.problems == []
