"""The Starlette application: where everything is wired together."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import orjson
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from api._auth import Authenticator, jwt_verifier
from api._graphiql import STATIC_DIR
from api._graphql_http import GraphQLOverHTTP
from api._health import healthz, readyz
from api._idempotency import IdempotentRequests
from api._metrics import Metrics
from api._middleware import RequestContext, current_request_id
from api._neo4j import open_database
from api._persisted import PersistedDocuments
from api._ui import ui_mount
from api._websocket import ConnectionLimiter, TextWebSocketAdapter, TransportHandler
from api._wiring import start_repositories
from api.settings import Settings
from graph import Clock, Database, SystemClock
from graph.access import Principal, Unauthenticated
from graph.documents import DocumentRepository
from graph.events import TOPICS, InProcessBus
from graph.idempotency import IdempotencyRepository
from resolvers import Context, Limits, build_schema

__all__ = ["create_app"]

LEASE_MARGIN_SECONDS = 10
"""How much longer than the time budget an idempotency claim lasts (docs/api.md)."""

_OUTCOME = "cmdb.authentication"
"""Where a request's scope state keeps the outcome of its authentication."""


def _limits(settings: Settings) -> Limits:
    return Limits(
        depth=settings.max_query_depth,
        aliases=settings.max_query_aliases,
        tokens=settings.max_query_tokens,
        cost=settings.max_query_cost,
    )


class _GraphQLApp(GraphQLOverHTTP):
    # Typed as a callable by Strawberry's base view; its own GraphQL assigns a class the same way.
    websocket_adapter_class = TextWebSocketAdapter  # type: ignore[assignment]
    graphql_transport_ws_handler_class = TransportHandler

    def __init__(self, app: Starlette, settings: Settings, metrics: Metrics) -> None:
        # graphql-transport-ws only: the legacy graphql-ws protocol is off (docs/subscriptions.md).
        super().__init__(
            build_schema(
                settings.query_cache_size,
                _limits(settings),
                introspection=settings.introspection,
            ),
            time_budget=settings.time_budget_seconds,
            metrics=metrics,
            documents=PersistedDocuments(
                lambda: app.state.documents,
                allow_list=settings.persisted_documents_only,
                allow_introspection=settings.allow_list_introspection,
                cache_size=settings.document_cache_size,
            ),
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,  # TransportHandler's own cap, with its code
            allowed_origins=_websocket_origins(settings),
            graphql_ide="graphiql" if settings.graphiql else None,
        )
        self._app = app
        self._settings = settings
        self._jwt = jwt_verifier(settings)
        self.subscriptions_per_connection = settings.subscriptions_per_connection
        self.connections = ConnectionLimiter(settings.connections_per_principal)

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        return "*" in self._settings.cors_origins or super().is_websocket_origin_allowed(
            request, origin
        )

    def authenticator(self) -> Authenticator:
        repositories = self._app.state.repositories
        return Authenticator(
            self._jwt, repositories.tokens, anonymous_read=self._settings.anonymous_read
        )

    def encode_json(self, data: object) -> bytes:
        # orjson: a tenth of the standard library's time on large answers (an outage
        # simulation lists every service).
        return orjson.dumps(data)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        context = Context(
            repositories=self._app.state.repositories,
            principal=None,
            request=request,
            response=response,
            request_id=current_request_id(),
        )
        # Over WebSocket the credentials come with connection_init (on_ws_connect).
        if not isinstance(request, WebSocket):
            context.authenticated_as(await self._authenticate(request.scope))
        return context

    async def _authenticate(self, scope: Scope) -> Principal | Unauthenticated:
        """Who the HTTP request in `scope` acts for, worked out once per request: the
        idempotency wrapper asks first, the context reuses its answer."""
        state = scope.setdefault("state", {})
        if _OUTCOME not in state:
            header = Headers(scope=scope).get("authorization")
            state[_OUTCOME] = await self.authenticator().authenticate(header)
        outcome: Principal | Unauthenticated = state[_OUTCOME]
        return outcome

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """Authenticates the connection from its `connection_init` payload; a refused one is
        closed with 4403 Forbidden, as graphql-transport-ws prescribes."""
        outcome = await self.authenticator().from_connection_params(context.connection_params)
        context.authenticated_as(outcome)
        if context.principal is None:
            reason = context.refusal.reason if context.refusal else "authentication required"
            raise ConnectionRejectionError({"reason": reason})
        acknowledged: UnsetType = UNSET  # a plain connection_ack, without payload
        return acknowledged

    async def principal_of(self, scope: Scope) -> str | None:
        """The name of the principal a request authenticates as (None when it does not): the
        scope of its idempotency keys. The request's own authentication, done once."""
        outcome = await self._authenticate(scope)
        return outcome.name if isinstance(outcome, Principal) else None


def _websocket_origins(settings: Settings) -> tuple[str, ...]:
    """The other origins a browser page may open a WebSocket from (browsers apply no CORS to
    WebSockets, so Strawberry checks the Origin): the CORS origins. Same-origin pages and
    clients that send no Origin (not browsers) are always let in; `*` lets any in."""
    return tuple(origin for origin in settings.cors_origins if origin != "*")


def _cors(settings: Settings) -> list[Middleware]:
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
        database = db or open_database(settings, transaction_timeout=settings.neo4j_query_timeout)
        database.observer = metrics
        app.state.db = database
        bus = InProcessBus(settings.subscription_queue)
        await bus.open()
        metrics.watch_event_bus(lambda: sum(bus.subscriber_count(t) for t in TOPICS))
        app.state.repositories = await start_repositories(database, settings, clock, bus)
        app.state.idempotency = IdempotencyRepository(
            database,
            clock or SystemClock(),
            timedelta(hours=settings.idempotency_key_hours),
            # A request ends within its budget; its claim outlives it by a margin.
            lease=timedelta(seconds=settings.time_budget_seconds + LEASE_MARGIN_SECONDS),
        )
        app.state.documents = DocumentRepository(database, clock or SystemClock())
        try:
            yield
        finally:
            await app.state.repositories.impact.projection.close()
            await bus.close()
            if db is None:
                await database.close()

    metrics = Metrics()
    app = Starlette(
        lifespan=lifespan,
        middleware=[
            *_cors(settings),
            Middleware(RequestContext, metrics=metrics, max_body_bytes=settings.max_body_bytes),
            # Inside RequestContext: a refused Host is logged with its request id.
            Middleware(
                TrustedHostMiddleware,
                allowed_hosts=list(settings.allowed_hosts),
                www_redirect=False,
            ),
        ],
    )
    # The metrics, for tests and for what reports to them (the event bus, watched at start).
    app.state.metrics = metrics
    graphql = _GraphQLApp(app, settings, metrics)
    app.state.websocket_connections = graphql.connections
    idempotent = IdempotentRequests(
        graphql,
        keys=lambda: app.state.idempotency,
        principal=graphql.principal_of,
        wait_seconds=settings.idempotency_wait_seconds,
    )
    app.router.routes.extend(
        [
            Route("/graphql", idempotent, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False)),
            ui_mount(),
        ]
    )
    return app
