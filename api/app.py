"""The Starlette application: where everything is wired together."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api._health import healthz, readyz
from api._idempotency import IdempotentRequests
from api._neo4j import open_database
from api._websocket import ConnectionLimiter, TextWebSocketAdapter, TransportHandler
from api._wiring import start_repositories
from api.settings import Settings
from graph import Clock, Database, SystemClock
from graph.events import InProcessBus
from graph.idempotency import IdempotencyRepository
from resolvers import Context, build_schema

__all__ = ["create_app"]


class _GraphQLApp(GraphQL[Context, None]):
    websocket_adapter_class = TextWebSocketAdapter
    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, app: Starlette, settings: Settings) -> None:
        # graphql-transport-ws only: the legacy graphql-ws protocol is off (docs/subscriptions.md).
        super().__init__(
            build_schema(settings.query_cache_size),
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,  # TransportHandler's own cap, with its code
            allowed_origins=_websocket_origins(settings),
        )
        self._app = app
        self._settings = settings
        self.subscriptions_per_connection = settings.subscriptions_per_connection
        self.connections = ConnectionLimiter(settings.connections_per_principal)

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        return "*" in self._settings.cors_origins or super().is_websocket_origin_allowed(
            request, origin
        )

    def encode_json(self, data: object) -> bytes:
        # orjson: a tenth of the standard library's time on large answers (an outage
        # simulation lists every service).
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            repositories=self._app.state.repositories,
            actor=self._settings.actor,
            request=request,
            response=response,
        )


def _websocket_origins(settings: Settings) -> tuple[str, ...]:
    """The other origins a browser page may open a WebSocket from (browsers apply no CORS to
    WebSockets, so Strawberry checks the Origin): the CORS origins. Same-origin pages and
    clients that send no Origin (not browsers) are always let in; `*` lets any in."""
    return tuple(origin for origin in settings.cors_origins if origin != "*")


def _middleware(settings: Settings) -> list[Middleware]:
    """CORS, when origins are configured (off by default)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["authorization", "content-type", "idempotency-key"],
            max_age=600,
        )
    ]


def create_app(
    settings: Settings, db: Database | None = None, clock: Clock | None = None
) -> Starlette:
    """The ASGI application. Its lifespan opens the driver (or uses `db`) and closes it; the
    product tells time by `clock` (the system's unless a test passes its own)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = db or open_database(settings)
        app.state.db = database
        bus = InProcessBus(settings.subscription_queue)
        await bus.open()
        app.state.repositories = await start_repositories(database, settings, clock, bus)
        app.state.idempotency = IdempotencyRepository(
            database, clock or SystemClock(), timedelta(hours=settings.idempotency_key_hours)
        )
        try:
            yield
        finally:
            await bus.close()
            if db is None:
                await database.close()

    app = Starlette(lifespan=lifespan, middleware=_middleware(settings))
    graphql = _GraphQLApp(app, settings)
    app.state.websocket_connections = graphql.connections
    idempotent = IdempotentRequests(
        graphql,
        keys=lambda: app.state.idempotency,
        # Until authentication lands, every request's principal is the configured actor.
        principal=lambda scope: settings.actor,
        wait_seconds=settings.idempotency_wait_seconds,
    )
    app.router.routes.extend(
        [
            Route("/graphql", idempotent, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ]
    )
    return app
