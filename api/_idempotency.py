"""`Idempotency-Key` on GraphQL requests over HTTP (docs/api.md, "Idempotent mutations"): a
request retried with the same key by the same principal gets the first one's response and runs
once, even when the two arrive at the same time; the same key with another document or other
variables is refused (422, IDEMPOTENCY_KEY_REUSED). The claims are kept in Neo4j
(`graph/idempotency/`), so they hold across processes."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import GraphUnavailable
from graph.idempotency import Claim, ClaimState, IdempotencyRepository, StoredResponse

__all__ = ["HEADER", "IdempotentRequests"]

log = logging.getLogger("cmdb.idempotency")

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
POLL_SECONDS = 0.05
"""How often a request waits on a concurrent first request's claim."""


def fingerprint(body: bytes) -> str:
    """The request's identity: its document, variables, operation name and extensions (a JSON
    body's key order and spacing do not matter); the raw body when it is not a JSON object."""
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        parsed = None
    if isinstance(parsed, dict):
        fields = ("query", "variables", "operationName", "extensions")
        body = orjson.dumps({f: parsed.get(f) for f in fields}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def _error(status: int, message: str, code: str) -> StoredResponse:
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return StoredResponse(status, body, "application/json")


async def _send(send: Send, response: StoredResponse, replayed: bool = False) -> None:
    headers = [(b"content-type", response.content_type.encode())]
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    if response.status == 503 or (response.status == 409 and IN_USE.encode() in response.body):
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _unavailable(send: Send) -> None:
    """503 before anything ran (Neo4j could not check the key): a retry with the key runs."""
    message = "The graph database is unavailable; retry in a moment."
    await _send(send, _error(503, message, "SERVICE_UNAVAILABLE"))


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    """A `receive` that gives the app the body read already, once."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class IdempotentRequests:
    """Wraps the GraphQL ASGI app: POSTs with an `Idempotency-Key` header go through a claim;
    everything else passes straight through."""

    def __init__(
        self,
        app: ASGIApp,
        keys: Callable[[], IdempotencyRepository],
        principal: Callable[[Scope], Awaitable[str | None]],
        wait_seconds: float,
    ) -> None:
        self._app = app
        self._keys = keys
        self._principal = principal
        self._wait = wait_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Headers(scope=scope).get(HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            message = f"Idempotency-Key: 1 to {MAX_KEY_LENGTH} printable characters"
            await _send(send, _error(400, message, "BAD_USER_INPUT"))
            return
        body = await _read_body(receive)
        try:
            principal = await self._principal(scope)
        except GraphUnavailable:  # an API token's lookup
            await _unavailable(send)
            return
        if principal is None:  # the API refuses the request anyway: nothing to remember
            await self._app(scope, _replay(body), send)
            return
        identity = fingerprint(body)
        token = uuid.uuid4().hex
        keys = self._keys()
        try:
            claim = await keys.claim(principal, key, identity, token)
            deadline = time.monotonic() + self._wait
            while claim.state is ClaimState.PENDING and time.monotonic() < deadline:
                await asyncio.sleep(POLL_SECONDS)
                claim = await keys.look(principal, key, identity)
                if claim.state is ClaimState.GONE:
                    claim = await keys.claim(principal, key, identity, token)
        except GraphUnavailable:
            await _unavailable(send)
            return
        if claim.state is ClaimState.MINE:
            if claim.taken_over_from is not None:
                log.warning(
                    "Idempotency-Key taken over from %s, whose lease ran out before it "
                    "committed anything: the request runs",
                    claim.taken_over_from,
                )
            await self._run(scope, body, send, keys, principal, key, token)
        else:
            await _send(send, *_answer(claim))

    async def _run(
        self,
        scope: Scope,
        body: bytes,
        send: Send,
        keys: IdempotencyRepository,
        principal: str,
        key: str,
        token: str,
    ) -> None:
        replay = _replay(body)
        status, content_type, chunks = 500, "application/json", []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = Headers(raw=message.get("headers", [])).get(
                    "content-type", content_type
                )
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            with keys.marking(principal, key, token):
                await self._app(scope, replay, capture)
        except BaseException:
            await keys.release(principal, key, token)
            raise
        response = StoredResponse(status, b"".join(chunks), content_type)
        if _server_fault(response):
            await keys.release(principal, key, token)
            return
        await keys.complete(principal, key, token, response)


FAULTS = frozenset({"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"})


def _server_fault(response: StoredResponse) -> bool:
    """A response no retry should be answered with: the server's fault, not the request's
    (a masked error rolled its transaction back)."""
    if response.status >= 500:
        return True
    try:
        parsed = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        return False
    errors = parsed.get("errors") if isinstance(parsed, dict) else None
    return any(
        isinstance(e, dict) and (e.get("extensions") or {}).get("code") in FAULTS
        for e in errors or ()
    )


def _answer(claim: Claim) -> tuple[StoredResponse, bool]:
    if claim.state is ClaimState.DONE and claim.response is not None:
        return claim.response, True
    if claim.state is ClaimState.MISMATCH:
        message = "Idempotency-Key was used for another request (its document or variables)"
        return _error(422, message, "IDEMPOTENCY_KEY_REUSED"), False
    if claim.state is ClaimState.COMMITTED:
        message = (
            "the first request with this Idempotency-Key committed its write, but ended before "
            "its response was stored (its process died, or it failed after the commit): the "
            "write stands, once; read the data to see it"
        )
        return _error(409, message, "IDEMPOTENCY_KEY_COMMITTED"), False
    message = "a request with this Idempotency-Key is still running; retry in a moment"
    return _error(409, message, IN_USE), False


IN_USE = "IDEMPOTENCY_KEY_IN_USE"
