"""What every HTTP response gets on its way out, in one ASGI layer: the security headers,
gzip for text bodies, and a weak ETag for an encoded body.

One layer instead of three (a security-headers middleware, Starlette's ``GZipMiddleware`` and
an ETag weakener), each of which parsed the headers again and wrapped ``send`` again: on a
small GraphQL answer they cost about as much CPU as the statement's round trip. The rules are
the ones those layers applied:

- the security headers (``SECURITY_HEADERS``) are added unless the handler set its own;
- a body of a type not compressed already (``ALREADY_COMPRESSED``) and not partial (206) or
  encoded by its handler carries ``Vary: Accept-Encoding`` once it reaches ``MINIMUM_SIZE``
  bytes (or streams), and is gzip-compressed when the client accepts gzip; a chunk of
  ``THREAD_MINIMUM_SIZE`` bytes or more is compressed off the event loop;
- an encoded answer's strong ETag becomes weak (``W/"..."``), as nginx does, and so does
  a 304's when the client named the weak form: conditional requests still get their 304.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.web.compression import ALREADY_COMPRESSED
from service.web.security_headers import SECURITY_HEADERS

MINIMUM_SIZE = 500
THREAD_MINIMUM_SIZE = 128 * 1024
COMPRESS_LEVEL = 9

RawHeaders = list[tuple[bytes, bytes]]

_SECURITY = tuple((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS)
_EXCLUDED = frozenset(t.partition(";")[0].strip().lower() for t in ALREADY_COMPRESSED)


class ResponseManners:
    """ASGI middleware applying the module's rules to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept_encoding = if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept_encoding = accept_encoding or value
            elif name == b"if-none-match":
                if_none_match = if_none_match or value
        outgoing = _Outgoing(send, b"gzip" in accept_encoding, if_none_match)
        await self.app(scope, receive, outgoing.send)


class _Outgoing:
    """One response's messages: the start is held until the first body says how to send it."""

    __slots__ = ("_compressor", "_gzip", "_if_none_match", "_passthrough", "_send", "_start")

    def __init__(self, send: Send, gzip: bool, if_none_match: bytes) -> None:
        self._send = send
        self._gzip = gzip
        self._if_none_match = if_none_match
        self._start: Message | None = None
        self._passthrough = False  # sent as the handler wrote it (after the headers)
        self._compressor: Any = None

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            headers = _with_security_headers(message.get("headers", ()))
            message["headers"] = headers
            self._start = message
            self._passthrough = _keeps_its_encoding(message["status"], headers)
            if self._passthrough:
                await self._send_start()
            return
        if kind == "http.response.body" and not self._passthrough:
            if self._start is not None:
                await self._first_body(message)
                return
            if self._compressor is not None:
                message["body"] = await self._compressed(message.get("body", b""), message)
        elif kind == "http.response.pathsend" and self._start is not None:
            await self._send_start()  # a file the server sends itself is not compressed
        await self._send(message)

    async def _first_body(self, message: Message) -> None:
        start = self._start
        assert start is not None
        body = message.get("body", b"")
        more = message.get("more_body", False)
        headers: RawHeaders = start["headers"]
        if not more and len(body) < MINIMUM_SIZE:
            await self._send_start()
            await self._send(message)
            return
        _add_vary(headers)
        if self._gzip:
            self._compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            message["body"] = await self._compressed(body, message)
            kept = [(n, v) for n, v in headers if n != b"content-length"]
            kept.append((b"content-encoding", b"gzip"))
            if not more and not start.get("trailers", False):
                kept.append((b"content-length", str(len(message["body"])).encode()))
            start["headers"] = kept
        await self._send_start()
        await self._send(message)

    async def _compressed(self, body: bytes, message: Message) -> bytes:
        more: bool = message.get("more_body", False)
        if len(body) >= THREAD_MINIMUM_SIZE:  # inline, it would block the event loop
            return await asyncio.to_thread(self._compress, body, more)
        return self._compress(body, more)

    def _compress(self, body: bytes, more: bool) -> bytes:
        compressor = self._compressor
        compressed: bytes = compressor.compress(body)
        tail: bytes = compressor.flush(zlib.Z_SYNC_FLUSH) if more else compressor.flush()
        return compressed + tail

    async def _send_start(self) -> None:
        start, self._start = self._start, None
        assert start is not None
        _weaken_etag(start, self._if_none_match)
        await self._send(start)


def _with_security_headers(raw: Any) -> RawHeaders:
    headers: RawHeaders = list(raw)
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in _SECURITY if pair[0] not in present)
    return headers


def _header(headers: RawHeaders, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _keeps_its_encoding(status: int, headers: RawHeaders) -> bool:
    """A partial body, one its handler encoded, or a type compressed already."""
    if status == 206 or _header(headers, b"content-encoding") is not None:
        return True
    content_type = (_header(headers, b"content-type") or b"").decode("latin-1")
    media = content_type.partition(";")[0].strip().lower()
    family = media.partition("/")[0] + "/*"
    return media in _EXCLUDED or family in _EXCLUDED or media.startswith("application/grpc+")


def _add_vary(headers: RawHeaders) -> None:
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            headers[i] = (name, value + b", Accept-Encoding")
            return
    headers.append((b"vary", b"Accept-Encoding"))


def _weaken_etag(start: Message, if_none_match: bytes) -> None:
    headers: RawHeaders = start["headers"]
    for i, (name, etag) in enumerate(headers):
        if name.lower() != b"etag":
            continue
        encoded = _header(headers, b"content-encoding") is not None or (
            start["status"] == 304 and b"W/" + etag in if_none_match
        )
        if etag and encoded and not etag.startswith(b"W/"):
            headers[i] = (name, b"W/" + etag)
        return
