"""The impact explorer in a real browser, on the demo CMDB: the shared Orders Database takes
its services DOWN; one failed member of the web pool (three VMs, two needed) only degrades the
Online Shop; the services panel follows an incident another client opens, live."""

from __future__ import annotations

from playwright.async_api import Locator, Page, expect

from graph.events import INCIDENTS, SERVICE_STATES
from tests.live import Live, http_graphql
from tests.ui.browser import api_token, sign_in
from tests.ui.conftest import Watched
from tests.ui.services import CREATE_OUTAGE, operational_service_with_spof


async def open_explorer(page: Page, server: Live) -> None:
    secret = await api_token(server.address, "ui-explorer", ["VIEWER"])
    await sign_in(page, server.address, secret, "#/explorer")


async def choose(page: Page, typed: str, name: str) -> None:
    """Types `typed` in the search and picks the CI called `name` among the results."""
    await page.get_by_label("Find a CI").fill(typed)
    await page.locator("#ci-results button", has_text=name).first.click()
    await expect(page.locator("#selected-title")).to_have_text(name)


def row(page: Page, name: str) -> Locator:
    """The row of the CI called exactly `name` in the table of the CIs in view."""
    return page.locator("#cis-in-view tr").filter(
        has=page.get_by_role("cell", name=name, exact=True)
    )


async def test_the_shared_database_takes_both_its_services_down(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    await open_explorer(page, demo_server)

    await choose(page, "orders data", "Orders Database")

    await expect(page.locator("#who")).to_have_text("ui-explorer (viewer)")
    shop = page.locator("#impact-services li.service", has_text="Online Shop")
    collect = page.locator("#impact-services li.service", has_text="Click & Collect")
    await expect(shop.locator(".state")).to_have_text("DOWN")
    await expect(collect.locator(".state")).to_have_text("DOWN")
    # By criticality: the Online Shop (1) before Click & Collect (2).
    names = await page.locator("#impact-services li.service .name").all_inner_texts()
    assert names.index("Online Shop") < names.index("Store Click & Collect / Warehouse Fulfilment")
    assert await shop.locator(".criticality").inner_text() == "C1"
    await expect(shop.locator(".activity .incidents")).not_to_be_empty()
    # The graph: the database, what fails with it (coloured by state) and what it needs.
    await expect(row(page, "Order Service")).to_contain_text("DOWN")
    needed = row(page, "Database Server 01")
    await expect(needed).to_contain_text("needed")
    assert await page.locator("#graph canvas").count() > 0
    assert watched.problems == []


async def test_one_failed_pool_member_degrades_its_services(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    await open_explorer(page, demo_server)
    await choose(page, "web vm 0", "Web VM 01")

    await page.get_by_label("Web VM 01 failed").check()

    shop = page.locator("#whatif-services li.service", has_text="Online Shop")
    await expect(shop.locator(".state")).to_have_text("DEGRADED")
    await expect(shop.locator(".reason")).to_contain_text("Storefront Web Front-End (DEGRADED)")
    hr = page.locator("#whatif-services li.service", has_text="Internal HR & Payroll")
    await expect(hr.locator(".state")).to_have_text("OPERATIONAL")
    await expect(page.locator("#failed-cis li")).to_contain_text(["Web VM 01"])
    assert watched.problems == []


async def test_the_explaining_path_shows_on_hover_and_depth_and_types_narrow_the_graph(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, _ = watched_page
    await open_explorer(page, demo_server)
    await choose(page, "orders data", "Orders Database")

    await row(page, "Online Shop").hover()
    await expect(page.locator("#path-info")).to_contain_text("Orders Database → ")
    await expect(page.locator("#path-info")).to_contain_text("→ Online Shop")

    await page.locator("#depth").fill("1")
    await expect(row(page, "Online Shop")).to_have_count(0)
    await expect(row(page, "Order Service")).to_have_count(1)

    await page.locator("#depth").fill("10")
    await page.get_by_label("RUNS_ON").uncheck()
    await expect(row(page, "Database Server 01")).to_have_count(0)
    await expect(row(page, "Online Shop")).to_have_count(1)


async def test_the_api_errors_are_shown_as_it_returns_them(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, _ = watched_page

    await sign_in(page, demo_server.address, "cmdb_not-a-token", "#/explorer")

    await expect(page.locator("#errors .error code")).to_have_text("UNAUTHENTICATED")
    await expect(page.get_by_label("Token")).to_be_visible()


async def test_the_services_panel_follows_an_incident_created_elsewhere_live(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    service, spof = await operational_service_with_spof(demo_server)
    await open_explorer(page, demo_server)
    await choose(page, spof["name"], spof["name"])

    listed = page.locator(f'#impact-services li.service[data-ci-id="{service["id"]}"]')
    # If the selected CI failed, the service would be down; now it is up.
    await expect(listed.locator(":scope > .state")).to_have_text("DOWN")
    await expect(listed.locator(".now .live-state")).to_have_text("OPERATIONAL")
    incidents = listed.locator(".activity .incidents")
    await expect(incidents).not_to_be_empty()
    before = await incidents.inner_text()
    await page.evaluate("window.loadedOnce = true")
    await demo_server.until_subscribed(SERVICE_STATES)
    await demo_server.until_subscribed(INCIDENTS)

    async with http_graphql(demo_server.address) as gql:
        created = (await gql(CREATE_OUTAGE, ci=spof["id"]))["createIncident"]
    assert created["errors"] == [], created

    await expect(listed.locator(".now .live-state")).to_have_text("DOWN")
    await expect(listed.locator(".now")).to_contain_text("was OPERATIONAL; createIncident")
    await expect(incidents).not_to_have_text(before)
    await expect(incidents).to_contain_text("P1")
    assert await page.evaluate("window.loadedOnce") is True
    assert watched.problems == []
