"""GraphQL over HTTP as the spec (graphql-over-http) asks: `application/graphql-response+json`
with its status codes, every error a GraphQL error with `extensions.code`, mutations over GET
refused with 405, batches refused, a time budget per request, GraphiQL from our own files."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, cast

from cross_web import HTTPException
from graphql import GraphQLSyntaxError
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api._graphiql import graphiql_page
from api._metrics import Metrics
from api._persisted import DocumentRefused, PersistedDocuments
from graph.domain import lone_surrogate_at
from graph.errors import GraphUnavailable
from resolvers import Context

__all__ = ["GraphQLOverHTTP"]

log = logging.getLogger("cmdb.http")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# Errors that mean the request itself is wrong: nothing ran (a 400 under GRAPHQL_RESPONSE).
REQUEST_ERRORS = frozenset({"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"})
_OPERATION = re.compile(r"\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)")


def _media_type(request: Request) -> str:
    """The media type the client prefers of the two GraphQL ones; JSON when it names neither
    (the spec's legacy default)."""
    ranges = []
    for position, part in enumerate(request.headers.get("accept", "").split(",")):
        kind, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((-quality, position, kind.lower()))
    for quality, _, kind in sorted(ranges):
        if quality < 0 and kind in (GRAPHQL_RESPONSE, JSON):
            return kind
    return JSON


def _operation_name(data: GraphQLRequestData) -> str:
    if isinstance(data.operation_name, str) and data.operation_name:
        return data.operation_name
    found = _OPERATION.search(data.query or "")
    return found.group(1) if found else "anonymous"


class _SubResponse(Response):
    """The response the resolvers may adjust (status, headers), knowing its request."""

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.status_code = None  # type: ignore[assignment]
        del self.headers["content-length"]
        self.request = request


class GraphQLOverHTTP(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        *,
        time_budget: float,
        metrics: Metrics,
        documents: PersistedDocuments,
        **options: Any,
    ) -> None:
        """`options` are Strawberry's (the WebSocket protocols, origins, ...)."""
        super().__init__(schema, **options)
        self._time_budget = time_budget
        self._metrics = metrics
        self.documents = documents

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        budget = asyncio.timeout(self._time_budget)
        try:
            async with budget:
                response = await self.run(request)
        except HTTPException as error:
            response = self.error_response(
                request, error.reason, "BAD_USER_INPUT", error.status_code
            )
            if error.status_code == 405:
                response.headers["Allow"] = "POST"
        except DocumentRefused as error:
            status = error.status
            if status == 200 and _media_type(request) == GRAPHQL_RESPONSE:
                status = 400  # a request error, under the spec's media type
            response = self.error_response(request, error.message, error.code, status)
        except GraphUnavailable as error:
            # Outside execution (the API token's lookup): the same 503 as inside it.
            log.warning("graph unavailable before execution: %s", error)
            response = self.error_response(
                request,
                "The graph database is unavailable; retry in a moment.",
                "SERVICE_UNAVAILABLE",
                503,
            )
            response.headers["Retry-After"] = "5"  # what execution's 503 asks too
        except TimeoutError:
            if not budget.expired():
                raise
            log.warning("request stopped at its time budget of %s s", self._time_budget)
            response = self.error_response(
                request,
                f"The request ran longer than its time budget of {self._time_budget:g} s and"
                " was stopped: ask a smaller question (fewer CIs, a smaller maxDepth, smaller"
                " pages).",
                "SERVICE_UNAVAILABLE",
                503,
                timeBudgetSeconds=self._time_budget,
            )
        await response(scope, receive, send)

    def error_response(
        self, request: Request, message: str, code: str, status: int, **extensions: Any
    ) -> Response:
        """A GraphQL-shaped error outside execution (a malformed request, a spent budget)."""
        self._metrics.error(code)
        body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
        media_type = _media_type(request)
        return Response(
            self.encode_json(body),
            status_code=status,
            media_type=f"{media_type}; charset=utf-8",
        )

    def parse_json(self, data: str | bytes) -> Any:
        """The JSON of a body (or of a GET's `variables`): UTF-8 text whose strings are all
        Unicode, or a 400 saying where it is not (json would let lone surrogates through, to
        fail in the driver or the encoder)."""
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise HTTPException(
                    400, f"The request body is not valid UTF-8 (byte {error.start})."
                ) from error
        parsed = super().parse_json(data)
        where = lone_surrogate_at(parsed)
        if where is not None:
            raise HTTPException(
                400,
                f"The request holds a lone surrogate at {where or 'its top level'}, which is"
                " not Unicode text: send strings as valid UTF-8.",
            )
        return parsed

    def _validate_batch_request(self, request_data: Any, protocol: Any) -> None:
        raise HTTPException(
            400, "Batched operations (a JSON array) are not accepted: send one per request."
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        return _SubResponse(cast(Request, request))

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with a persisted document's hash and no query is a request, not a browser.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql_page(str(request.url.path)))

    async def execute_single(  # type: ignore[override]
        self, request: Request, request_adapter: Any, request_data: GraphQLRequestData, **rest: Any
    ) -> ExecutionResult:
        sent = request_data.query
        request_data.query = await self.documents.document_of(sent, request_data.extensions)
        request.state.graphql_operation = _operation_name(request_data)
        # The text may hold names and addresses: only at debug level.
        log.debug("operation %s: %s", request.state.graphql_operation, request_data.query)
        try:
            result = await super().execute_single(
                request=request, request_adapter=request_adapter, request_data=request_data, **rest
            )
        except HTTPException as error:
            if request_adapter.method == "GET" and isinstance(
                error.__cause__, InvalidOperationTypeError
            ):
                raise HTTPException(405, "Mutations are allowed only over POST.") from error
            raise
        context: Context = rest["context"]
        # Registered once it parsed and validated (it has data), by whom it authenticates as.
        if (
            sent is not None
            and result.data is not None
            and context.principal is not None
            and self.documents.should_register(sent, request_data.extensions)
        ):
            await self.documents.register(sent, context.actor)
        return result

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        for error in result.errors or ():
            # A parse failure (or a token limit) stops before the schema's extensions see it.
            if not (error.extensions or {}).get("code"):
                code = "GRAPHQL_PARSE_FAILED"
                if not isinstance(error, GraphQLSyntaxError):
                    code = "INTERNAL_SERVER_ERROR"
                error.extensions = {**(error.extensions or {}), "code": code}
        processed = await super().process_result(request, result)
        codes = [str((e.extensions or {}).get("code", "")) for e in result.errors or ()]
        for code in codes:
            self._metrics.error(code)
        request.state.graphql_request_error = (
            result.data is None
            and bool(codes)
            and all(e.path is None for e in result.errors or ())
            and set(codes) <= REQUEST_ERRORS
        )
        return processed

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        request = cast(_SubResponse, sub_response).request
        media_type = _media_type(request)
        status = sub_response.status_code or 200
        if media_type == GRAPHQL_RESPONSE and getattr(
            request.state, "graphql_request_error", False
        ):
            # The spec: a request error is a 4xx and carries no `data`.
            status = 400
            if isinstance(response_data, dict):
                response_data = cast(
                    GraphQLHTTPResponse,
                    {k: v for k, v in response_data.items() if k != "data"},
                )
        response = Response(
            self.encode_json(response_data),
            status_code=status,
            media_type=f"{media_type}; charset=utf-8",
        )
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response
