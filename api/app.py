"""The Starlette application: where everything is wired together."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from api._auth import Authenticator, jwt_verifier
from api._graphiql import STATIC_DIR
from api._graphql_http import GraphQLOverHTTP
from api._health import healthz, readyz
from api._metrics import Metrics
from api._middleware import RequestContext, current_request_id
from api._neo4j import open_database
from api._wiring import start_repositories
from api.settings import Settings
from graph import Clock, Database
from resolvers import Context, Limits, build_schema

__all__ = ["create_app"]


def _limits(settings: Settings) -> Limits:
    return Limits(
        depth=settings.max_query_depth,
        aliases=settings.max_query_aliases,
        tokens=settings.max_query_tokens,
        cost=settings.max_query_cost,
    )


class _GraphQLApp(GraphQLOverHTTP):
    def __init__(self, app: Starlette, settings: Settings, metrics: Metrics) -> None:
        super().__init__(
            build_schema(settings.query_cache_size, _limits(settings)),
            time_budget=settings.time_budget_seconds,
            metrics=metrics,
        )
        self._app = app
        self._settings = settings
        self._jwt = jwt_verifier(settings)

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
            header = request.headers.get("authorization")
            context.authenticated_as(await self.authenticator().authenticate(header))
        return context

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


def create_app(
    settings: Settings, db: Database | None = None, clock: Clock | None = None
) -> Starlette:
    """The ASGI application. Its lifespan opens the driver (or uses `db`) and closes it; the
    product tells time by `clock` (the system's unless a test passes its own)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = db or open_database(settings, transaction_timeout=settings.time_budget_seconds)
        database.observer = metrics
        app.state.db = database
        app.state.repositories = await start_repositories(database, settings, clock)
        try:
            yield
        finally:
            if db is None:
                await database.close()

    metrics = Metrics()
    app = Starlette(
        lifespan=lifespan,
        middleware=[
            Middleware(RequestContext, metrics=metrics, max_body_bytes=settings.max_body_bytes)
        ],
    )
    # The event bus reports its subscribers there (metrics.set_event_bus_subscribers).
    app.state.metrics = metrics
    graphql = _GraphQLApp(app, settings, metrics)
    app.router.routes.extend(
        [
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            Mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False)),
        ]
    )
    return app
