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
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

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
# POST bodies whose admission is remembered (``GraphQLEndpoint._admit_body``), and the largest
ADMITTED_BODIES = 1024
ADMITTED_BODY_BYTES = 4096


async def _no_bounds(_version: int | None) -> ListBounds:
    return NO_BOUNDS


@dataclass(frozen=True)
class Reply:
    """An encoded answer (from the cache or just stored in it), or a 304."""

    content: bytes
    status: int
    etag: str | None = None


class ClientGone(Exception):
    """The client disconnected before its request body arrived."""


# The request headers the endpoint reads (ASGI servers give their names in lower case).
_READ_HEADERS = frozenset(
    (b"accept", b"content-type", b"content-length", b"x-request-id", b"if-none-match")
)


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the endpoint reads of a request: its method, the first value of each header it
    reads, and the query string (GET)."""

    method: str
    headers: Mapping[str, str]
    query_string: bytes

    @classmethod
    def of(cls, scope: Scope) -> Incoming:
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name in _READ_HEADERS:
                headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
        return cls(scope["method"], headers, scope.get("query_string", b""))

    @property
    def query_params(self) -> QueryParams:
        return QueryParams(self.query_string)


_CONTENT_TYPE_BYTES = {media: value.encode() for media, value in _CONTENT_TYPES.items()}
_VARY = (b"vary", b"Accept")  # the answer's type depends on the Accept header


@dataclass(frozen=True, slots=True)
class Answer:
    """A JSON answer: its bytes, status, media type (a key of ``_CONTENT_TYPES``) and the
    headers beyond type, length and ``Vary``."""

    content: bytes
    status: int
    media: str
    headers: Mapping[str, str]

    async def send(self, send: Send) -> None:
        raw = [
            (name.lower().encode("latin-1"), v.encode("latin-1"))
            for name, v in self.headers.items()
        ]
        raw.append(_VARY)
        raw.append((b"content-length", str(len(self.content)).encode()))
        raw.append((b"content-type", _CONTENT_TYPE_BYTES[self.media]))
        await send({"type": "http.response.start", "status": self.status, "headers": raw})
        await send({"type": "http.response.body", "body": self.content})


@dataclass(slots=True)
class Admitted:
    """A request whose parameters passed every check they alone decide, and its plan once
    made (``UNPLANNED`` until then)."""

    params: dict[str, Any]
    source: str
    prepared: Prepared
    operation: OperationDefinitionNode
    split: Split | Unplanned | None = UNPLANNED


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
    """The ASGI app for ``/graphql`` (GET and POST; a Starlette route's endpoint)."""

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
        self._admitted: dict[bytes, Admitted] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI app of ``/graphql``: no Request or Response objects on the way of a JSON
        answer, whose headers are written once as bytes."""
        incoming = Incoming.of(scope)
        try:
            answer = await self._answer(incoming, scope, receive)
        except ClientGone:
            return  # nobody to answer
        if isinstance(answer, Response):
            await answer(scope, receive, send)
            return
        await answer.send(send)

    async def _answer(
        self, incoming: Incoming, scope: Scope, receive: Receive
    ) -> Answer | Response:
        request_id = _request_id(incoming)
        headers = {"X-Request-ID": request_id}
        media = negotiate(incoming.headers.get("accept"))
        try:
            is_get = incoming.method != "POST"  # GET, or HEAD which Starlette routes with it
            if is_get and self.graphiql_html is not None and _wants_html(incoming):
                return HTMLResponse(self.graphiql_html, headers={**headers, "Vary": "Accept"})
            if media is None:
                raise HTTPProblem(
                    406,
                    f"Cannot answer in any type the Accept header allows; "
                    f"accept {GRAPHQL_RESPONSE} or {JSON}",
                    "NOT_ACCEPTABLE",
                )
            if is_get:
                admitted = self._admit(_get_params(incoming), is_get=True)
            else:
                admitted = self._admit_body(await self._body(incoming, receive))
            if isinstance(admitted, Outcome):
                outcome: Outcome | Reply = admitted
            else:
                outcome = await self._run(incoming, scope, receive, admitted, request_id, media)
        except HTTPProblem as problem:
            headers.update(problem.headers)
            body = {"errors": [{"message": problem.message, "extensions": {"code": problem.code}}]}
            return Answer(encode_json(body), problem.status, media or JSON, headers)
        except ClientGone:
            raise
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
                return Response(status_code=304, headers={**headers, "Vary": "Accept"})
            return Answer(outcome.content, outcome.status, media, headers)
        if outcome.phase is Phase.UNAVAILABLE:
            headers["Retry-After"] = RETRY_AFTER_S
        return Answer(outcome.encode(), _status(outcome, media), media, headers)

    def _admit(self, params: dict[str, Any], is_get: bool) -> Admitted | Outcome:
        """The checks the request's parameters alone decide: the document, its operation,
        validation, the variables' strings. An error, or what passed them."""
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
        if is_get and not is_query(operation):
            raise HTTPProblem(
                405,
                f"A {operation.operation.value} cannot be sent with GET; use POST",
                "METHOD_NOT_ALLOWED",
                {"Allow": "POST"},
            )
        if prepared.errors:
            return request_errors(Phase.VALIDATION, *prepared.errors)
        bad_variable = self.operations.check_variables(params.get("variables"))
        if bad_variable is not None:
            return request_errors(Phase.VARIABLES, bad_variable)
        return Admitted(params, source, prepared, operation)

    def _admit_body(self, body: bytes) -> Admitted | Outcome:
        """``_admit`` for a POST body, remembered per body: a body sent again (the same query
        and variables) skips the JSON decoding, the checks and the planning."""
        admitted = self._admitted.get(body)
        if admitted is not None:
            return admitted
        found = self._admit(_json_params(body), is_get=False)
        if isinstance(found, Admitted) and len(body) <= ADMITTED_BODY_BYTES:
            if len(self._admitted) >= ADMITTED_BODIES:
                self._admitted.clear()
            self._admitted[body] = found
        return found

    async def _run(
        self,
        incoming: Incoming,
        scope: Scope,
        receive: Receive,
        admitted: Admitted,
        request_id: str,
        media: str,
    ) -> Outcome | Reply:
        params, source, prepared, operation = (
            admitted.params,
            admitted.source,
            admitted.prepared,
            admitted.operation,
        )
        is_get = incoming.method != "POST"
        variables = params.get("variables")
        split, folded = self._plan(admitted)
        if folded:
            version = self._seen_version
        else:
            version = await self.data_version() if self.data_version is not None else None
            self._seen_version = version
        key = self._cache_key(version, source, params, media) if is_query(operation) else None
        if key is not None:
            etag = key.etag if is_get else None
            if etag is not None and etag_matches(incoming.headers.get("if-none-match"), etag):
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
            context = self.context_factory(Request(scope, receive))
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

    def _plan(self, admitted: Admitted) -> tuple[Split | Unplanned | None, bool]:
        """The operation's split, and whether its one statement reads the data version too.

        Without a response cache the version only chooses the list bounds of the node limit.
        A wholly compiled query is then counted with the bounds of the version the previous
        request saw, and its statement returns the version it read the answer at; when that
        differs, the answer is counted again with the new version's bounds before it is
        sent. That saves the version's own round trip on every such request.
        """
        operation = admitted.operation
        if self.cache is not None or self._seen_version is None or not is_query(operation):
            return UNPLANNED, False
        split = admitted.split
        if isinstance(split, Unplanned):  # planning depends on the parameters alone
            split = admitted.split = self.operations.split(
                admitted.prepared, operation, admitted.params.get("variables")
            )
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

    async def _body(self, incoming: Incoming, receive: Receive) -> bytes:
        headers = incoming.headers
        problem = _content_type_problem(headers.get("content-type"))
        if problem is not None:
            raise HTTPProblem(415, problem, "UNSUPPORTED_MEDIA_TYPE")
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise HTTPProblem(413, body_limit_message(self.operations.limits), "PAYLOAD_TOO_LARGE")
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:  # a body sent without its length
                raise HTTPProblem(
                    413, body_limit_message(self.operations.limits), "PAYLOAD_TOO_LARGE"
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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


def _wants_html(incoming: Incoming) -> bool:
    params = incoming.query_params
    return (
        "text/html" in incoming.headers.get("accept", "")
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


def _get_params(incoming: Incoming) -> dict[str, Any]:
    raw = incoming.query_params
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


def _request_id(incoming: Incoming) -> str:
    given = incoming.headers.get("x-request-id")
    if given is not None and _REQUEST_ID.fullmatch(given):
        return given
    return os.urandom(16).hex()
