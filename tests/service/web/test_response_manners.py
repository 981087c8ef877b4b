"""The one outgoing layer's rules on responses the app's routes do not all make: streamed
bodies, small bodies, partial content, a handler's own headers and its own encoding."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from service.web.response_manners import MINIMUM_SIZE, ResponseManners

TEXT = b"line of text\n" * 200  # well above the minimum size


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(3):
        yield TEXT


async def streamed(request: Request) -> StreamingResponse:
    return StreamingResponse(_chunks(), media_type="text/plain", headers={"ETag": '"s1"'})


async def small(request: Request) -> Response:
    return Response(b"x" * (MINIMUM_SIZE - 1), media_type="text/plain", headers={"Vary": "Accept"})


async def partial(request: Request) -> Response:
    return Response(TEXT, status_code=206, media_type="text/plain")


async def own_policy(request: Request) -> Response:
    return Response(TEXT, media_type="text/html", headers={"Content-Security-Policy": "sandbox"})


async def encoded(request: Request) -> Response:
    body = gzip.compress(TEXT)
    return Response(body, media_type="text/plain", headers={"Content-Encoding": "gzip"})


APP = Starlette(
    routes=[
        Route("/streamed", streamed),
        Route("/small", small),
        Route("/partial", partial),
        Route("/own-policy", own_policy),
        Route("/encoded", encoded),
    ],
    middleware=[Middleware(ResponseManners)],
)


async def _get(path: str, accept_encoding: str) -> tuple[httpx.Response, bytes]:
    transport = httpx.ASGITransport(app=APP)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        client.stream("GET", path, headers={"Accept-Encoding": accept_encoding}) as response,
    ):
        wire = b"".join([chunk async for chunk in response.aiter_raw()])
    return response, wire


async def test_a_streamed_body_is_compressed_chunk_by_chunk_with_a_weak_etag() -> None:
    response, wire = await _get("/streamed", "gzip")
    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["etag"] == 'W/"s1"'
    assert gzip.decompress(wire) == TEXT * 3


async def test_a_client_without_gzip_gets_the_identity_body_that_varies_on_encoding() -> None:
    response, wire = await _get("/streamed", "identity")
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["etag"] == '"s1"'
    assert wire == TEXT * 3


async def test_a_small_body_is_sent_as_it_is() -> None:
    response, wire = await _get("/small", "gzip")
    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept"
    assert wire == b"x" * (MINIMUM_SIZE - 1)


async def test_partial_and_already_encoded_bodies_are_left_alone() -> None:
    partial_response, partial_wire = await _get("/partial", "gzip")
    assert partial_response.status_code == 206
    assert "content-encoding" not in partial_response.headers
    assert partial_wire == TEXT
    encoded_response, encoded_wire = await _get("/encoded", "gzip")
    assert encoded_response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(encoded_wire) == TEXT  # compressed once, not twice


async def test_a_handler_keeps_its_own_security_header_and_gets_the_others() -> None:
    response, _wire = await _get("/own-policy", "identity")
    assert response.headers.get_list("content-security-policy") == ["sandbox"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
