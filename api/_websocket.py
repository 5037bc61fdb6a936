"""GraphQL over WebSocket (docs/subscriptions.md): the `graphql-transport-ws` protocol only,
in text frames as the protocol requires, with a cap on the operations of one connection and
on the connections of one principal, each refused with a message that says which cap."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)
from strawberry.types.unset import UnsetType

from api._persisted import DocumentRefused, PersistedDocuments
from graph.domain import lone_surrogate_at
from resolvers import Context

__all__ = ["ConnectionLimiter", "TextWebSocketAdapter", "TransportHandler"]

TOO_MANY_CONNECTIONS = 4429
"""The close code of a connection over the cap (the protocol's "too many" code, which the
`graphql-ws` client does not retry)."""


class ConnectionLimiter:
    """WebSocket connections per principal, in this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: Counter[str] = Counter()

    def acquire(self, principal: str) -> bool:
        if self._open[principal] >= self.limit:
            return False
        self._open[principal] += 1
        return True

    def release(self, principal: str) -> None:
        self._open[principal] -= 1
        if self._open[principal] <= 0:
            del self._open[principal]

    def count(self, principal: str) -> int:
        return self._open[principal]


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """Sends every message as a text frame: the view's JSON encoder returns bytes (fast for
    HTTP), which Strawberry would send as binary frames that `graphql-ws` clients cannot
    read."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as error:
            raise WebSocketDisconnected from error


class TransportHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler, with the caps. The principal is the context's actor once
    `connection_init` has been accepted (authentication happens there)."""

    view: Any
    principal: str | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        # Strawberry's, with the connection cap between the acceptance and the ack.
        if self.connection_timed_out:
            return
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload", {})
        if not isinstance(payload, dict):
            await self.websocket.close(code=4400, reason="Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(code=4429, reason="Too many initialisation requests")
            return
        self.connection_init_received = True
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError:
            await self.websocket.close(code=4403, reason="Forbidden")
            return
        limiter: ConnectionLimiter = self.view.connections
        if not limiter.acquire(self.context.actor):
            reason = f"Too many connections: at most {limiter.limit} per principal"
            await self.websocket.close(code=TOO_MANY_CONNECTIONS, reason=reason)
            return
        self.principal = self.context.actor
        if isinstance(ack, UnsetType):
            await self.send_message({"type": "connection_ack"})
        else:
            await self.send_message({"type": "connection_ack", "payload": ack})
        self.connection_acknowledged = True

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if lone_surrogate_at(message.get("id")) is not None:
            # No answer can name that id: the message is malformed.
            await self.websocket.close(code=4400, reason="Invalid subscribe message: its id")
            return
        where = lone_surrogate_at(message.get("payload"))
        if where is not None:
            error = GraphQLError(
                f"The subscribe message holds a lone surrogate at payload.{where}, which is not"
                " Unicode text: send strings as valid UTF-8.",
                extensions={"code": "BAD_USER_INPUT"},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        limit = self.view.subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            error = GraphQLError(
                f"Too many subscriptions: at most {limit} at once on one connection",
                extensions={"code": "SUBSCRIPTION_LIMIT", "limit": limit},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        if self.connection_acknowledged:
            # Persisted documents and the allow-list mode, as over HTTP (api/_persisted.py).
            payload = message["payload"]
            documents: PersistedDocuments = self.view.documents
            try:
                text = await documents.document_of(payload.get("query"), payload.get("extensions"))
            except DocumentRefused as refused:
                error = GraphQLError(refused.message, extensions={"code": refused.code})
                await self.send_message(
                    {"id": message["id"], "type": "error", "payload": [error.formatted]}
                )
                return
            if text is not None:
                message = {**message, "payload": {**payload, "query": text}}
        await super().handle_subscribe(message)

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            if self.principal is not None:
                self.view.connections.release(self.principal)
                self.principal = None
