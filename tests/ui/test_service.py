"""The service view in a real browser, on the demo CMDB: the Online Shop's availability against
its target, its single points of failure, recovery order and cost as the API answers them; and
its computed state following `impactChanged` live when an incident takes down a service's single
point of failure."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from graph.events import SERVICE_STATES
from tests.live import Live, http_graphql
from tests.ui.browser import api_token, sign_in
from tests.ui.conftest import Watched
from tests.ui.services import (
    CREATE_OUTAGE,
    business_services,
    operational_service_with_spof,
    service_answers,
)


async def test_the_service_view_shows_availability_single_points_of_failure_and_recovery(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    [shop] = [s for s in await business_services(demo_server) if s["name"] == "Online Shop"]
    answers = await service_answers(demo_server, shop["id"])
    spofs = [ci["name"] for ci in answers["singlePointsOfFailure"]]
    steps = [[ci["name"] for ci in step["cis"]] for step in answers["recoveryOrder"]["steps"]]
    assert spofs and steps, answers
    secret = await api_token(demo_server.address, "ui-service", ["CHANGE_MANAGER"])

    await sign_in(page, demo_server.address, secret, f"#/service/{shop['id']}")

    await expect(page.locator("#service-name")).to_have_text("Online Shop")
    await expect(page.locator("#availability-percent")).to_have_text(re.compile(r"^\d+\.\d{3} %$"))
    target = shop["serviceLevel"]["availabilityTarget"]
    await expect(page.locator("#availability-target")).to_contain_text(f"{target:g} %")
    await expect(page.locator("#availability .verdict")).to_have_text(
        re.compile("^target (met|breached)$")
    )
    await expect(page.locator("#single-points-of-failure li.spof a")).to_have_text(spofs)
    shown_steps = page.locator("#recovery-steps > li")
    await expect(shown_steps).to_have_count(len(steps))
    for index, names in enumerate(steps):
        await expect(shown_steps.nth(index).locator(".ci")).to_have_text(names)
    # A single point of failure is recovered before the service that needs it.
    first_spof = next(i for i, names in enumerate(steps) if spofs[0] in names)
    assert first_spof < next(i for i, names in enumerate(steps) if "Online Shop" in names)
    await expect(page.locator("#cost-total")).to_have_text(answers["serviceCost"]["total"])
    await expect(page.locator("#service-state .state")).to_have_count(1)

    axis = page.locator("#outage-timeline .axis span").first
    thirty_days = await axis.inner_text()
    await page.get_by_label("Period", exact=True).select_option("7")
    await expect(axis).not_to_have_text(thirty_days)
    assert watched.problems == []


async def test_the_service_state_follows_an_incident_on_its_single_point_of_failure_live(
    watched_page: tuple[Page, Watched], demo_server: Live
) -> None:
    page, watched = watched_page
    service, spof = await operational_service_with_spof(demo_server)
    secret = await api_token(demo_server.address, "ui-service-live", ["VIEWER"])

    await sign_in(page, demo_server.address, secret, f"#/service/{service['id']}")
    await expect(page.locator("#service-state .state")).to_have_text("OPERATIONAL")
    await expect(page.locator("#service-cost")).to_contain_text("may not read cost figures")
    await page.evaluate("window.loadedOnce = true")
    await demo_server.until_subscribed(SERVICE_STATES)

    async with http_graphql(demo_server.address) as gql:
        created = (await gql(CREATE_OUTAGE, ci=spof["id"]))["createIncident"]
    assert created["errors"] == [], created

    await expect(page.locator("#service-state .state")).to_have_text("DOWN")
    await expect(page.locator("#service-state")).to_contain_text("was OPERATIONAL; createIncident")
    assert await page.evaluate("window.loadedOnce") is True
    assert watched.problems == []
