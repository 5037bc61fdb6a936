"""The UI tests' fixtures: the demo CMDB behind a live server, and a chromium page on it that
records what the browser reports (console errors, failed and foreign requests)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import BrowserContext, ConsoleMessage, Error, Page, Request, expect

from api import Settings
from graph import Database
from tests.live import Live, live_server
from tests.ui.browser import PATIENCE_MS, chromium, load_demo

expect.set_options(timeout=PATIENCE_MS)


@pytest.fixture
async def demo_server(db: Database, settings: Settings) -> AsyncIterator[Live]:
    await load_demo(db, settings)
    async with live_server(settings, db) as live:
        yield live


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[BrowserContext]:
    async with chromium() as context:
        yield context


class Watched:
    """What a page reported: console errors, and requests that failed or left the server."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.problems: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def request(self, request: Request) -> None:
        if not request.url.startswith(f"http://{self.address}/"):
            self.problems.append(f"request elsewhere: {request.url}")

    def failed(self, request: Request) -> None:
        self.problems.append(f"failed: {request.url} {request.failure}")

    def page_error(self, error: Error) -> None:
        self.problems.append(f"page error: {error.message}\n{error.stack}")


@pytest.fixture
async def watched_page(
    browser: BrowserContext, demo_server: Live
) -> AsyncIterator[tuple[Page, Watched]]:
    page = await browser.new_page()
    watched = Watched(demo_server.address)
    page.on("console", watched.console)
    page.on("request", watched.request)
    page.on("requestfailed", watched.failed)
    page.on("pageerror", watched.page_error)
    try:
        yield page, watched
    finally:
        # Shown with a failure's captured output: what the browser said.
        print("\n".join(watched.problems))
        await page.close()
