"""`make screenshots`: the web UI's pages on the demo data, at 1280x800, written to docs/ui/
(explorer.png, change.png, incident.png, service.png). It starts a fresh embedded Neo4j on a
free port with a throw-away data folder (as the test session does), migrates it, loads the demo
CMDB, serves the product's app on a free port and drives Debian's chromium through the UI tests'
browser (tests/ui/browser.py). Run with the venv's python:
`.venv/bin/python -m tests.ui.screenshots`."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from playwright.async_api import Page

from api import Settings
from graph import connect
from graph.embedded import EmbeddedNeo4j, build_launcher, find_java_home, free_port
from migrations import migrate
from tests.conftest import AUTH_ENV
from tests.live import Live, http_graphql, live_server
from tests.ui.browser import PATIENCE_MS, api_token, chromium, load_demo, sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "ui"
SIZE = {"width": 1280, "height": 800}
PASSWORD = "screenshots-password"

FIND = """
{
  cis(filter: {nameStartsWith: "Orders Database"}, first: 1) { edges { node { id } } }
  shop: cis(filter: {nameStartsWith: "Online Shop"}, first: 1) { edges { node { id } } }
  incidents(filter: {search: "Orders database connection errors"}, first: 1) {
    edges { node { id } }
  }
  changes(first: 100) { edges { node { id state assessedAt } } }
}
"""


async def _settled(page: Page, selector: str) -> None:
    """Waits for `selector`, then for the page's requests to end and its live updates to flow."""
    await page.locator(selector).first.wait_for(timeout=PATIENCE_MS)
    await page.wait_for_load_state("networkidle")
    badges = page.locator(".live-status")
    if await badges.count():
        await page.locator(".live-status[data-status=live]").first.wait_for(timeout=PATIENCE_MS)


async def _shoot(live: Live) -> list[Path]:
    async with http_graphql(live.address) as gql:
        found = await gql(FIND)
    database = found["cis"]["edges"][0]["node"]["id"]
    shop = found["shop"]["edges"][0]["node"]["id"]
    incident = found["incidents"]["edges"][0]["node"]["id"]
    # An assessed change still in flight (its actions and conflicts show), else any assessed one.
    assessed = [e["node"] for e in found["changes"]["edges"] if e["node"]["assessedAt"]]
    waiting = [c for c in assessed if c["state"] in ("AUTHORIZE", "ASSESS", "SCHEDULED")]
    change = (waiting or assessed)[0]["id"]
    secret = await api_token(live.address, "screenshots", ["ADMIN"])
    shots: list[tuple[str, str, Callable[[Page], Awaitable[None]]]] = [
        (
            "explorer",
            f"#/explorer/{database}",
            lambda p: _settled(p, "#impact-services li.service .activity span"),
        ),
        ("change", f"#/change/{change}", lambda p: _settled(p, "#page > *")),
        (
            "incident",
            f"#/incident/{incident}",
            lambda p: _settled(p, "#root-causes > :not(.pending)"),
        ),
        ("service", f"#/service/{shop}", lambda p: _settled(p, "#cost-total")),
    ]
    written = []
    async with chromium() as browser:
        for name, route, ready in shots:
            page = await browser.new_page()
            await page.set_viewport_size(SIZE)
            try:
                await sign_in(page, live.address, secret, route)
                await ready(page)
                path = OUT / f"{name}.png"
                await page.screenshot(path=str(path))
                written.append(path)
            except Exception as error:  # one page's failure must not stop the others
                print(f"{name}: no screenshot ({error})", file=sys.stderr)
            finally:
                await page.close()
    return written


async def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    java_home = find_java_home(os.environ.get("CMDB_JAVA_HOME"))
    build_launcher(java_home)
    data_dir = Path(tempfile.mkdtemp(prefix="cmdb-screenshots-neo4j-"))
    embedded = EmbeddedNeo4j(
        data_dir=data_dir,
        port=free_port(),
        password=PASSWORD,
        java_home=java_home,
        page_cache="256m",
        heap="1g",
    )
    running = embedded.start(watch_parent=True)
    try:
        settings = Settings.from_env(
            {"NEO4J_URI": running.uri, "NEO4J_PASSWORD": PASSWORD, **AUTH_ENV}
        )
        db = connect(running.uri, "neo4j", PASSWORD, "neo4j")
        try:
            await migrate(db, "screenshots")
            await load_demo(db, settings)
            async with live_server(settings, db) as live:
                written = await _shoot(live)
        finally:
            await db.close()
    finally:
        embedded.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    for path in written:
        print(f"wrote {path.relative_to(OUT.parents[1])}")
    return 0 if len(written) == 4 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
