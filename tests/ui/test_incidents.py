"""The incident pages in a real browser, on the demo CMDB: the trace of the demo's incident on
the Orders Database (its impacted services, SLA clocks and known error), and the live updates:
an incident another client creates appears on an open incident list without a reload, and its
transition updates its open trace."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import BrowserContext, Page, WebSocketRoute, expect

from graph.events import INCIDENTS
from tests.live import Live, http_graphql
from tests.ui.browser import api_token, sign_in
from tests.ui.conftest import Watched

DEMO_INCIDENT = """
query($search: String!) {
  incidents(filter: {search: $search}, first: 1) {
    edges { node {
      id number title state priority knownErrorWorkaround affectedCis { id name }
      impactedServices { state source service { id name } }
      sla { kind target breached paused stoppedAt }
    } }
  }
}
"""
CI_NAMED = """
query($name: String!) { cis(filter: {nameStartsWith: $name}, first: 1) { edges { node { id } } } }
"""
CREATE = """
mutation($ci: ID!) {
  createIncident(input: {title: "Card terminals time out at the tills", category: HARDWARE,
                         impact: 2, urgency: 1, affectedCiIds: [$ci]}) {
    incident { id number priority impactedServices { service { name } } }
    errors { field message code }
  }
}
"""
SUSPECTS = """
query($number: String!) {
  incident(number: $number) { suspectedChanges { change { id number } path { name } } }
}
"""
TRANSITION = """
mutation($number: String!) {
  transitionIncident(input: {number: $number, to: IN_PROGRESS, note: "on it"}) {
    incident { state }
    errors { message }
  }
}
"""


async def demo_incident(live: Live, search: str) -> dict[str, Any]:
    async with http_graphql(live.address) as gql:
        data = await gql(DEMO_INCIDENT, search=search)
    [edge] = data["incidents"]["edges"]
    incident: dict[str, Any] = edge["node"]
    return incident


async def test_the_trace_shows_the_impacted_services_the_sla_clocks_and_the_known_error(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    incident = await demo_incident(demo_server, "Orders database connection errors")
    assert incident["impactedServices"], incident
    secret = await api_token(demo_server.address, "ui-trace", ["VIEWER"])

    await sign_in(page, demo_server.address, secret, f"#/incident/{incident['id']}")

    await expect(page.locator("#incident-number")).to_have_text(incident["number"])
    await expect(page.locator("#incident-state")).to_have_text(incident["state"])
    services = page.locator("#impacted-services li.service")
    await expect(services).to_have_count(len(incident["impactedServices"]))
    for impacted in incident["impactedServices"]:
        item = page.locator(f"#impacted-services li[data-ci-id='{impacted['service']['id']}']")
        await expect(item.locator("a.name")).to_have_text(impacted["service"]["name"])
        await expect(item.locator(".state")).to_have_text(impacted["state"])
        await expect(item.locator(".source")).to_contain_text(impacted["source"].lower())
        link = item.locator("a.name")
        await expect(link).to_have_attribute("href", f"#/service/{impacted['service']['id']}")
    clocks = page.locator("#sla-clocks li.clock")
    await expect(clocks).to_have_count(len(incident["sla"]))
    for clock in incident["sla"]:
        shown = page.locator(f"#sla-clocks li[data-kind={clock['kind']}]")
        await expect(shown.locator(".target")).to_contain_text(clock["target"])
        if clock["breached"]:
            await expect(shown).to_have_class("clock breached")
            await expect(shown.locator(".remaining")).to_contain_text("breached")
    # A running clock counts in the browser: its text changes without another request.
    running = [c for c in incident["sla"] if not c["paused"] and not c["stoppedAt"]]
    assert running, incident["sla"]
    remaining = page.locator(f"#sla-clocks li[data-kind={running[0]['kind']}] .remaining")
    before = await remaining.inner_text()
    await expect(remaining).not_to_have_text(before)
    await expect(page.locator("#workaround")).to_contain_text(incident["knownErrorWorkaround"])
    affected = page.locator("#affected-cis a")
    await expect(affected).to_have_text([ci["name"] for ci in incident["affectedCis"]])
    for i, ci in enumerate(incident["affectedCis"]):
        await expect(affected.nth(i)).to_have_attribute("href", f"#/explorer/{ci['id']}")
    assert watched.problems == []


async def test_an_incident_created_elsewhere_appears_live_and_its_transition_updates_the_trace(
    watched_page: tuple[Page, Watched], demo_server: Live, browser: BrowserContext
) -> None:
    page, watched = watched_page
    secret = await api_token(demo_server.address, "ui-live", ["VIEWER"])
    await sign_in(page, demo_server.address, secret, "#/incidents")
    await expect(page.locator("#incident-rows tr").first).to_be_visible()
    # Set once on the loaded page: still there later means the page was never loaded again.
    await page.evaluate("window.loadedOnce = true")
    await demo_server.until_subscribed(INCIDENTS)

    async with http_graphql(demo_server.address) as gql:
        ci = await gql(CI_NAMED, name="Checkout Service")
        [edge] = ci["cis"]["edges"]
        created = (await gql(CREATE, ci=edge["node"]["id"]))["createIncident"]
        assert created["errors"] == [], created
        incident = created["incident"]
        suspects = (await gql(SUSPECTS, number=incident["number"]))["incident"]
    # The demo implemented changes on the Checkout Service and on what it depends on.
    suspected = suspects["suspectedChanges"]
    assert suspected, suspects

    row = page.locator(f"#incident-rows tr[data-number={incident['number']}]")
    await expect(row).to_contain_text("Card terminals time out at the tills")
    await expect(row).to_contain_text(incident["priority"])
    await expect(row.locator(".incident-state")).to_have_text("NEW")
    # Newest first: the new incident heads the list.
    await expect(page.locator("#incident-rows tr").first).to_have_attribute(
        "data-number", incident["number"]
    )
    for service in incident["impactedServices"]:
        await expect(row).to_contain_text(service["service"]["name"])
    assert await page.evaluate("window.loadedOnce") is True

    # Its trace open in a second tab (the list keeps its subscription in the first).
    trace = await browser.new_page()
    trace_watched = Watched(demo_server.address)
    trace.on("console", trace_watched.console)
    trace.on("pageerror", trace_watched.page_error)
    trace.on("requestfailed", trace_watched.failed)
    try:
        await sign_in(trace, demo_server.address, secret, f"#/incident/{incident['id']}")
        await expect(trace.locator("#incident-state")).to_have_text("NEW")
        await expect(trace.locator("#sla-clocks li.clock")).to_have_count(2)
        shown = trace.locator("#suspected-changes > li")
        await expect(shown).to_have_count(len(suspected))
        for index, suspect in enumerate(suspected):
            link = shown.nth(index).locator("a")
            await expect(link).to_have_text(suspect["change"]["number"])
            await expect(link).to_have_attribute("href", f"#/change/{suspect['change']['id']}")
            path = " → ".join(ci["name"] for ci in suspect["path"])
            await expect(shown.nth(index).locator(".path")).to_contain_text(path)
        await trace.evaluate("window.loadedOnce = true")
        await demo_server.until_subscribed(INCIDENTS, 2)

        async with http_graphql(demo_server.address) as gql:
            moved = (await gql(TRANSITION, number=incident["number"]))["transitionIncident"]
        assert moved["errors"] == [], moved

        await expect(trace.locator("#incident-state")).to_have_text("IN_PROGRESS")
        # Responded: the response clock stopped.
        await expect(trace.locator("#sla-clocks li[data-kind=RESPONSE]")).to_contain_text("stopped")
        await expect(row.locator(".incident-state")).to_have_text("IN_PROGRESS")
        assert await trace.evaluate("window.loadedOnce") is True
        assert await page.evaluate("window.loadedOnce") is True
    finally:
        print("\n".join(trace_watched.problems))
        await trace.close()
    assert trace_watched.problems == []
    assert watched.problems == []


async def test_the_list_reconnects_after_a_drop_and_reads_what_it_missed(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    # The page's WebSockets go through Playwright, which can drop them and refuse new ones.
    down = False
    connections: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    async def through(ws: WebSocketRoute) -> None:
        if down:
            await ws.close(code=1013, reason="test: the server is away")
            return
        connections.append((ws, ws.connect_to_server()))

    await page.route_web_socket(re.compile(r"/graphql$"), through)
    secret = await api_token(demo_server.address, "ui-reconnect", ["VIEWER"])
    await sign_in(page, demo_server.address, secret, "#/incidents")
    badge = page.locator(".live-status")
    await expect(badge).to_have_attribute("data-status", "live")
    await page.evaluate("window.loadedOnce = true")

    down = True
    [(browser_side, server_side)] = connections
    await server_side.close(code=1012, reason="test: restart")
    await browser_side.close(code=1012, reason="test: restart")
    await expect(badge).to_have_attribute("data-status", "reconnecting")
    # Created while the page cannot hear it: the page reads it once it is back.
    async with http_graphql(demo_server.address) as gql:
        ci = await gql(CI_NAMED, name="Web VM 01")
        [edge] = ci["cis"]["edges"]
        created = (await gql(CREATE, ci=edge["node"]["id"]))["createIncident"]
    assert created["errors"] == [], created
    number = created["incident"]["number"]
    down = False

    await expect(badge).to_have_attribute("data-status", "live")
    await expect(page.locator(f"#incident-rows tr[data-number={number}]")).to_be_visible()
    assert len(connections) == 2
    assert await page.evaluate("window.loadedOnce") is True
    assert watched.problems == []


OPEN_COUNT = "{ incidents(filter: {states: [NEW, IN_PROGRESS, ON_HOLD]}) { totalCount } }"
IMPORT_OPEN = """
mutation($incidents: [HistoricalIncidentInput!]!) {
  importIncidents(input: {source: "legacy-desk", incidents: $incidents}) {
    created
    errors { field message code }
  }
}
"""


async def test_the_list_shows_the_newest_hundred_and_reads_older_ones_on_demand(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    async with http_graphql(demo_server.address) as gql:
        ci = await gql(CI_NAMED, name="Web VM 01")
        [edge] = ci["cis"]["edges"]
        old = [
            {
                "externalId": f"LEGACY-{n}",
                "title": f"Old ticket {n}",
                "category": "SERVICE_REQUEST",
                "impact": 3,
                "urgency": 3,
                "affectedCiIds": [edge["node"]["id"]],
                "openedAt": f"2026-01-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
            }
            for n in range(120)
        ]
        imported = (await gql(IMPORT_OPEN, incidents=old))["importIncidents"]
        assert imported["errors"] == [], imported
        listed = await gql(OPEN_COUNT)
    total = listed["incidents"]["totalCount"]
    assert total > 120
    secret = await api_token(demo_server.address, "ui-older", ["VIEWER"])
    await sign_in(page, demo_server.address, secret, "#/incidents")

    rows = page.locator("#incident-rows tr")
    await expect(rows).to_have_count(100)
    count = page.locator("#incident-count")
    await expect(count).to_have_text(f"{total} open incidents, newest first; the 100 newest shown")
    more = page.get_by_role("button", name="Show older incidents")
    await more.click()
    await expect(rows).to_have_count(total)
    await expect(count).to_have_text(f"{total} open incidents, newest first")
    await expect(more).to_be_hidden()
    # The oldest imported ticket is last.
    await expect(rows.last).to_contain_text("Old ticket")
    assert watched.problems == []
