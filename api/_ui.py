"""The web UI at /ui: the plain ES modules of `ui/` as they are (no build step), beside the
pinned Cytoscape.js build that `make setup` copies to api/static/cytoscape/. The pages talk to
the public GraphQL API only, like any front end; this module only serves their files."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["UI_DIR", "ui_mount"]

UI_DIR = Path(__file__).resolve().parent.parent / "ui"

# Every asset is the product's own: the browser refuses anything from another origin, and
# GraphQL goes to this origin over HTTP and WebSocket.
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class _Headers:
    """Adds the content security policy and no-sniffing to every answer of `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = _POLICY
                headers["x-content-type-options"] = "nosniff"
                headers["cache-control"] = "no-cache"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def ui_mount(directory: Path = UI_DIR) -> Mount:
    """The /ui mount: `directory`'s files, index.html for /ui/."""
    files = StaticFiles(directory=directory, html=True, check_dir=False)
    return Mount("/ui", app=_Headers(files), name="ui")
