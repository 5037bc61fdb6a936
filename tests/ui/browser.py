"""The browser the UI tests and `make screenshots` drive: Debian's chromium (installed by
`make test`), through Playwright's bundled driver, headless, with a fresh profile and nothing
that reaches out of the machine; and the demo CMDB served by the product's app."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import BrowserContext, Page, async_playwright

from api import Settings, build_repositories
from api._demo import load_demo_data
from api._demo_changes import ReplayClock
from graph import Database
from tests.live import http_graphql

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PATIENCE_MS = 30_000
"""How long an expectation waits for the page (a hang guard, not a timed assertion)."""

CREATE_TOKEN = """
mutation($name: String!, $roles: [Role!]!) {
  createApiToken(input: {name: $name, roles: $roles}) { secret errors { message } }
}
"""


@asynccontextmanager
async def chromium() -> AsyncIterator[BrowserContext]:
    """A browser context of Debian's chromium with a throw-away profile."""
    assert CHROMIUM.exists(), "no /usr/bin/chromium: `make test` installs it (apt-get)"
    with tempfile.TemporaryDirectory(prefix="cmdb-ui-chromium-") as profile:
        async with async_playwright() as playwright:
            context = await playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=ARGS,
                viewport={"width": 1400, "height": 1000},
            )
            context.set_default_timeout(PATIENCE_MS)
            try:
                yield context
            finally:
                await context.close()


async def load_demo(db: Database, settings: Settings) -> None:
    """The demo CMDB (`make run`'s), loaded as `cmdb seed-demo` loads it."""
    clock = ReplayClock()
    await load_demo_data(build_repositories(db, settings, clock), "demo-loader", clock)


async def api_token(address: str, name: str, roles: list[str]) -> str:
    """A new API token's secret, created through the API by an admin."""
    async with http_graphql(address) as gql:
        data = await gql(CREATE_TOKEN, name=name, roles=roles)
    created = data["createApiToken"]
    assert created["errors"] == [], created
    secret: str = created["secret"]
    return secret


async def sign_in(page: Page, address: str, secret: str, at: str = "") -> None:
    """Opens /ui/ on `page` and signs in with `secret` through the sign-in form."""
    await page.goto(f"http://{address}/ui/{at}")
    await page.get_by_label("Token").fill(secret)
    await page.get_by_role("button", name="Sign in").click()
