"""The outermost layer of every HTTP request: its id (`X-Request-Id`, in every log line of the
request), the access log line, the request metrics, the body size limit (413), and the host
names a request may carry (Starlette's TrustedHostMiddleware, set up from `allowed_hosts`)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api._metrics import Metrics

__all__ = ["LOCAL_HOSTS", "RequestContext", "allowed_hosts", "current_request_id"]

log = logging.getLogger("cmdb.access")

_REQUEST_ID: ContextVar[str | None] = ContextVar("cmdb_request_id", default=None)
# A proxy's id is kept when it is a plain token; anything else is replaced.
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_HOST = re.compile(r"(?:\*\.)?[a-z0-9_](?:[a-z0-9_.-]{0,252})|[0-9a-f:.]{2,45}")

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")
"""Host names a request may always carry: the machine itself (health checks, a local proxy)."""


def allowed_hosts(raw: str, bind_host: str) -> tuple[str, ...]:
    """The `Host` names requests may carry: `bind_host`, `LOCAL_HOSTS` and the comma-separated
    names in `raw` (`cmdb.example.com`, `*.example.com` for its subdomains); `("*",)` when
    `raw` names `*` (no check). `ValueError` for a name that is none."""
    given = [host.strip().lower() for host in raw.split(",") if host.strip()]
    for host in given:
        if host != "*" and _HOST.fullmatch(host) is None:
            raise ValueError(f"a host is a name (cmdb.example.com, *.example.com) or *: {host!r}")
    if "*" in given:
        return ("*",)
    # A wildcard address is no name a client sends.
    bound = [] if bind_host in ("0.0.0.0", "::") else [bind_host.lower()]
    if bound and ":" in bound[0]:
        bound.append(f"[{bound[0]}]")  # how an IPv6 address is written in a Host header
    return tuple(dict.fromkeys([*bound, *LOCAL_HOSTS, *given]))


def current_request_id() -> str | None:
    """The id of the request being served (None outside one)."""
    return _REQUEST_ID.get()


class _BodyTooLarge(Exception):
    pass


class RequestContext:
    def __init__(self, app: ASGIApp, metrics: Metrics, max_body_bytes: int) -> None:
        self._app = app
        self._metrics = metrics
        self._max_body = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        token = _REQUEST_ID.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self._max_body:
                    raise _BodyTooLarge
            return message

        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > self._max_body:
                await self._too_large(send_with_id)
            else:
                try:
                    await self._app(scope, limited_receive, send_with_id)
                except _BodyTooLarge:
                    if response_started:
                        raise
                    await self._too_large(send_with_id)
        finally:
            seconds = time.perf_counter() - started
            operation = state.get("graphql_operation")
            if operation is not None:
                self._metrics.request(operation, seconds)
            log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "operation": operation,
                },
            )
            _REQUEST_ID.reset(token)

    async def _too_large(self, send: Send) -> None:
        self._metrics.error("BAD_USER_INPUT")
        body = orjson.dumps(
            {
                "errors": [
                    {
                        "message": f"The request body is larger than {self._max_body} bytes.",
                        "extensions": {"code": "BAD_USER_INPUT", "limit": self._max_body},
                    }
                ]
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
