"""``/graphql`` over HTTP, per the GraphQL-over-HTTP spec, and ``/schema.graphql``.

Status codes follow the spec: a malformed request (bad JSON, wrong parameter types, no
query) is 400 whatever the client accepts; a request that is well formed but cannot run
(parse, validation, variables, limits, unknown persisted document) is 400 under
``application/graphql-response+json`` and 200 under plain ``application/json``; a mutation
over GET is 405; an unacceptable Accept is 406; a body that is not JSON is 415; one that is
too large is 413. Every response carries ``X-Request-ID``.

Query results are cached per data version (``schema.cache``): a request reads the version
with one statement and, on a hit, gets the stored bytes without running anything else. GET
answers that may be cached carry an ``ETag`` derived from the version and the request, with
``Cache-Control: no-cache``; ``If-None-Match`` with it is answered 304. Only results without
an internal (masked) error are stored: user errors in a result are as deterministic as its
data, a masked failure may be transient and names its request id.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from schema.cache import Key, ResponseCache, Stored
from schema.compiler.executor import Split
from schema.graphiql import graphiql_page
from schema.limits import body_limit_message
from schema.operation import (
    INTERNAL,
    NO_BOUNDS,
    UNPLANNED,
    Operations,
    Outcome,
    Phase,
    Prepared,
    Unplanned,
    encode_json,
    is_query,
    logger,
    masked_error,
    request_errors,
)
from schema.persisted import PersistedDocuments
from service.core.list_bounds import ListBounds
from service.core.nesting import TooDeepError, load_json
from service.core.revalidation import etag_matches

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
_CONTENT_TYPES = {
    GRAPHQL_RESPONSE: f"{GRAPHQL_RESPONSE}; charset=utf-8",
    JSON: JSON,
}
BAD_REQUEST = "BAD_REQUEST"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Bodies, variables and extensions nest a few levels; deeper ones are refused before any work
# (Python's JSON decoder would otherwise recurse until RecursionError, a 500).
MAX_JSON_DEPTH = 64

ContextFactory = Callable[[Request], Any]
VersionReader = Callable[[], Awaitable[int | None]]
BoundsReader = Callable[[int | None], Awaitable[ListBounds]]
RETRY_AFTER_S = "5"


async def _no_bounds(_version: int | None) -> ListBounds:
    return NO_BOUNDS


@dataclass(frozen=True)
class Reply:
    """An encoded answer (from the cache or just stored in it), or a 304."""

    content: bytes
    status: int
    etag: str | None = None


class HTTPProblem(Exception):
    """A request the endpoint refuses before any GraphQL work, with its status code."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = BAD_REQUEST,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


class GraphQLEndpoint:
    """The Starlette endpoint for ``/graphql`` (GET and POST)."""

    def __init__(
        self,
        operations: Operations,
        context_factory: ContextFactory,
        persisted: PersistedDocuments | None = None,
        *,
        graphiql: bool = True,
        cache: ResponseCache | None = None,
        data_version: VersionReader | None = None,
        list_bounds: BoundsReader | None = None,
    ) -> None:
        """``cache`` is used only with ``data_version``, which reads the current version;
        ``list_bounds`` gives the sizes of unpaged lists for a version (the node limit
        counts any list it does not know as over the limit)."""
        self.operations = operations
        self.list_bounds = list_bounds or _no_bounds
        self.cache = cache if cache is not None and cache.enabled else None
        self.data_version = data_version
        self.context_factory = context_factory
        self.persisted = persisted or PersistedDocuments({})
        self.graphiql_html = graphiql_page() if graphiql else None
        self.max_body = operations.limits.max_body_bytes
        self._seen_version: int | None = None  # the data version the last request saw

    async def handle(self, request: Request) -> Response:
        request_id = _request_id(request)
        headers = {"X-Request-ID": request_id, "Vary": "Accept"}
        media = negotiate(request.headers.get("accept"))
        try:
            is_get = request.method != "POST"  # GET, or HEAD which Starlette routes with it
            if is_get and self.graphiql_html is not None and _wants_html(request):
                return HTMLResponse(self.graphiql_html, headers=headers)
            if media is None:
                raise HTTPProblem(
                    406,
                    f"Cannot answer in any type the Accept header allows; "
                    f"accept {GRAPHQL_RESPONSE} or {JSON}",
                    "NOT_ACCEPTABLE",
                )
            params = _get_params(request) if is_get else _json_params(await self._body(request))
            outcome = await self._run(request, params, request_id, media)
        except HTTPProblem as problem:
            headers.update(problem.headers)
            body = {"errors": [{"message": problem.message, "extensions": {"code": problem.code}}]}
            return _json_response(body, problem.status, media or JSON, headers)
        except Exception as error:
            failed = self.operations.database_failure(error, request_id)
            if failed is None:
                logger.exception("GraphQL request failed [request %s]", request_id)
                failed = Outcome(Phase.INTERNAL, [masked_error(request_id)])
            outcome = failed
            media = media or JSON
        if isinstance(outcome, Reply):
            if outcome.etag is not None:
                headers["ETag"] = outcome.etag
                headers["Cache-Control"] = "no-cache"
            if outcome.status == 304:
                return Response(status_code=304, headers=headers)
            return _bytes_response(outcome.content, outcome.status, media, headers)
        if outcome.phase is Phase.UNAVAILABLE:
            headers["Retry-After"] = RETRY_AFTER_S
        return _bytes_response(outcome.encode(), _status(outcome, media), media, headers)

    async def _run(
        self, request: Request, params: dict[str, Any], request_id: str, media: str
    ) -> Outcome | Reply:
        source = self.persisted.resolve(
            params.get("query"), params.get("documentId"), params.get("extensions")
        )
        if source is None:
            raise HTTPProblem(400, "The request has no query (or documentId) parameter")
        if isinstance(source, GraphQLError):
            return request_errors(Phase.OPERATION, source)
        prepared = self.operations.prepare(source)
        if prepared.document is None:
            return request_errors(Phase.PARSE, *prepared.errors)
        operation = prepared.operation(params.get("operationName"))
        if isinstance(operation, GraphQLError):
            return request_errors(Phase.OPERATION, operation)
        if request.method != "POST" and not is_query(operation):
            raise HTTPProblem(
                405,
                f"A {operation.operation.value} cannot be sent with GET; use POST",
                "METHOD_NOT_ALLOWED",
                {"Allow": "POST"},
            )
        if prepared.errors:
            return request_errors(Phase.VALIDATION, *prepared.errors)
        variables = params.get("variables")
        bad_variable = self.operations.check_variables(variables)
        if bad_variable is not None:
            return request_errors(Phase.VARIABLES, bad_variable)
        split, folded = self._plan(prepared, operation, variables)
        if folded:
            version = self._seen_version
        else:
            version = await self.data_version() if self.data_version is not None else None
            self._seen_version = version
        key = self._cache_key(version, source, params, media) if is_query(operation) else None
        is_get = request.method != "POST"
        if key is not None:
            etag = key.etag if is_get else None
            if etag is not None and etag_matches(request.headers.get("if-none-match"), etag):
                return Reply(b"", 304, etag)
            hit = self.cache.get(key) if self.cache is not None else None
            if hit is not None:
                return Reply(hit.body, hit.status, etag)
        deadline = self.operations.deadline()  # the budget covers the wait for the bounds
        refused = await self._refused(prepared, operation, variables, version, deadline, request_id)
        limited = refused is not None and refused.phase is Phase.LIMIT
        if limited and folded and self.data_version is not None:
            # Maybe the bounds of a version gone by: refuse only by the current one's.
            version = self._seen_version = await self.data_version()
            refused = await self._refused(
                prepared, operation, variables, version, deadline, request_id
            )
        if refused is not None:
            return refused
        try:
            context = self.context_factory(request)
        except Exception:
            logger.exception("Could not create the GraphQL context [request %s]", request_id)
            return Outcome(Phase.INTERNAL, [masked_error(request_id)])
        try:
            outcome = await self.operations.execute(
                prepared,
                operation,
                variables,
                context,
                params.get("extensions"),
                request_id,
                split=split,
                with_version=folded,
                deadline=deadline,
            )
        finally:
            close = getattr(context, "close", None)
            if close is not None:
                await close()
        if outcome.version is not None:
            self._seen_version = outcome.version
            if outcome.version != version:  # the data changed: count with its list bounds
                refused = await self._refused(
                    prepared, operation, variables, outcome.version, deadline, request_id
                )
                if refused is not None:
                    return refused
        if key is None or self.cache is None or not _cacheable(outcome):
            return outcome
        stored = Stored(outcome.encode(), _status(outcome, media))
        self.cache.put(key, stored)
        return Reply(stored.body, stored.status, key.etag if is_get else None)

    async def _refused(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
        version: int | None,
        deadline: float | None,
        request_id: str,
    ) -> Outcome | None:
        """The answer when the node limit, counted with ``version``'s list bounds, refuses the
        operation, or when the bounds cannot be had by ``deadline``; None to go on.

        A request that stops waiting for the bounds does not stop their read: it finishes
        for the requests after it (``service.core.bounds_by_version``)."""
        try:
            async with asyncio.timeout_at(deadline) as budget:
                bounds = await self.list_bounds(version)
        except Exception as error:
            if isinstance(error, TimeoutError) and budget.expired():
                return self.operations.out_of_time(request_id)
            failed = self.operations.list_bounds_failure(error, request_id)
            if failed is None:
                raise
            return failed
        too_many = self.operations.check_nodes(prepared, operation, variables, bounds)
        return None if too_many is None else request_errors(Phase.LIMIT, too_many)

    def _plan(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
    ) -> tuple[Split | Unplanned | None, bool]:
        """The operation's split, and whether its one statement reads the data version too.

        Without a response cache the version only chooses the list bounds of the node limit.
        A wholly compiled query is then counted with the bounds of the version the previous
        request saw, and its statement returns the version it read the answer at; when that
        differs, the answer is counted again with the new version's bounds before it is
        sent. That saves the version's own round trip on every such request.
        """
        if self.cache is not None or self._seen_version is None or not is_query(operation):
            return UNPLANNED, False
        split = self.operations.split(prepared, operation, variables)
        return split, split is not None and split.rest is None

    def _cache_key(
        self, version: int | None, source: str, params: dict[str, Any], media: str
    ) -> Key | None:
        """The request's cache key, or None when nothing may be cached (no cache, no version)."""
        if self.cache is None or version is None:
            return None
        return Key(
            version,
            source,
            params.get("operationName"),
            params.get("variables"),
            params.get("extensions"),
            media,
        )

    async def _body(self, request: Request) -> bytes:
        headers = request.headers
        problem = _content_type_problem(headers.get("content-type"))
        if problem is not None:
            raise HTTPProblem(415, problem, "UNSUPPORTED_MEDIA_TYPE")
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_body:
                raise HTTPProblem(
                    413, body_limit_message(self.operations.limits), "PAYLOAD_TOO_LARGE"
                )
            return await request.body()  # the server stops at the declared length
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise HTTPProblem(
                    413, body_limit_message(self.operations.limits), "PAYLOAD_TOO_LARGE"
                )
            chunks.append(chunk)
        return b"".join(chunks)


def schema_sdl_endpoint(sdl: str) -> Callable[[Request], Any]:
    """``/schema.graphql``: the SDL as text (computed once)."""
    body = sdl if sdl.endswith("\n") else sdl + "\n"

    async def schema_graphql(request: Request) -> Response:
        return PlainTextResponse(body, headers={"Cache-Control": "public, max-age=300"})

    return schema_graphql


# --- negotiation -----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when neither JSON type fits.

    No Accept means ``application/json`` (the spec's rule for legacy clients). A wildcard
    picks ``application/json`` too; an explicit ``application/graphql-response+json`` wins
    ties.
    """
    if accept is None or not accept.strip():
        return JSON
    best: tuple[float, int] = (0.0, -1)
    chosen: str | None = None
    for part in accept.split(","):
        media, _, parameters = part.partition(";")
        media = media.strip().lower()
        quality = _quality(parameters)
        if quality <= 0:
            continue
        if media == GRAPHQL_RESPONSE:
            candidate, rank = GRAPHQL_RESPONSE, 2
        elif media == JSON:
            candidate, rank = JSON, 1
        elif media in ("*/*", "application/*"):
            candidate, rank = JSON, 0
        else:
            continue
        if (quality, rank) > best:
            best, chosen = (quality, rank), candidate
    return chosen


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value.strip()), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def _wants_html(request: Request) -> bool:
    params = request.query_params
    return (
        "text/html" in request.headers.get("accept", "")
        and "query" not in params
        and "documentId" not in params
        and "extensions" not in params
    )


# --- request parameters ----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _content_type_problem(content_type: str | None) -> str | None:
    """Why a POST body of this Content-Type cannot be read, or None for JSON in UTF-8."""
    if content_type is None:
        return f"The request has no Content-Type; send the body as {JSON}"
    media, _, parameters = content_type.partition(";")
    if media.strip().lower() != JSON:
        return f"Content-Type {media.strip()!r} is not supported; send the body as {JSON}"
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            return f"charset {value.strip()!r} is not supported; send UTF-8"
    return None


def _json_params(body: bytes) -> dict[str, Any]:
    if not body:
        raise HTTPProblem(400, "The POST request has no body; send a JSON object with query")
    try:
        params = load_json(body, MAX_JSON_DEPTH)
    except TooDeepError as error:
        raise HTTPProblem(400, f"The request body is {error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise HTTPProblem(400, f"The request body is not valid JSON: {error}") from None
    if not isinstance(params, dict):
        raise HTTPProblem(400, "The request body must be a JSON object with query")
    return _checked(params)


def _get_params(request: Request) -> dict[str, Any]:
    raw = request.query_params
    params: dict[str, Any] = {
        name: raw[name]
        for name in ("query", "operationName", "documentId")
        if raw.get(name)  # empty strings mean "absent" in URLs
    }
    for name in ("variables", "extensions"):
        text = raw.get(name)
        if text:
            try:
                params[name] = load_json(text, MAX_JSON_DEPTH)
            except TooDeepError as error:
                raise HTTPProblem(400, f"{name} is {error}") from None
            except ValueError as error:
                raise HTTPProblem(400, f"{name} is not valid JSON: {error}") from None
    return _checked(params)


_KNOWN_PARAMETERS = ("query", "operationName", "variables", "extensions", "documentId")


def _checked(params: dict[str, Any]) -> dict[str, Any]:
    for name in ("query", "operationName", "documentId"):
        value = params.get(name)
        if value is not None and not isinstance(value, str):
            raise HTTPProblem(400, f"{name} must be a string, not {_kind(value)}")
    for name in ("variables", "extensions"):
        value = params.get(name)
        if value is not None and not isinstance(value, dict):
            raise HTTPProblem(400, f"{name} must be a JSON object (map), not {_kind(value)}")
    if params.get("query") is None and params.get("documentId") is None:
        extensions = params.get("extensions") or {}
        if "persistedQuery" not in extensions:
            unknown = sorted(set(params) - set(_KNOWN_PARAMETERS))
            hint = f" (unknown parameters: {', '.join(unknown)})" if unknown else ""
            raise HTTPProblem(400, f"The request has no query parameter{hint}")
    return params


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# --- responses -------------------------------------------------------------------------------


def _status(outcome: Outcome, media: str) -> int:
    if outcome.phase is Phase.EXECUTED:
        return 200
    if outcome.phase is Phase.INTERNAL:
        return 500
    if outcome.phase is Phase.UNAVAILABLE:
        return 503
    if outcome.phase is Phase.TIMEOUT:
        return 504
    return 400 if media == GRAPHQL_RESPONSE else 200


def _cacheable(outcome: Outcome) -> bool:
    return outcome.executed and not any(
        (error.get("extensions") or {}).get("code") == INTERNAL for error in outcome.errors
    )


def _json_response(
    body: dict[str, Any], status: int, media: str, headers: dict[str, str]
) -> Response:
    return _bytes_response(encode_json(body), status, media, headers)


def _bytes_response(content: bytes, status: int, media: str, headers: dict[str, str]) -> Response:
    return Response(content, status_code=status, media_type=_CONTENT_TYPES[media], headers=headers)


def _request_id(request: Request) -> str:
    given = request.headers.get("x-request-id")
    if given is not None and _REQUEST_ID.fullmatch(given):
        return given
    return os.urandom(16).hex()
