"""Compressed responses (gzip) for text: JSON, iCalendar, GraphQL answers and HTML.

Starlette's ``GZipMiddleware`` does the compression; formats that are already compressed
(the workbook is a zip file) are left alone. A compressed body is a different
representation from the identity one, so its strong ETag becomes weak (as nginx does):
conditional requests compare weakly and still get their 304.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALREADY_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class WeakETagWhenEncoded:
    """Marks the ETag of a content-encoded response weak (``W/"..."``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        if_none_match = Headers(scope=scope).get("if-none-match", "")

        async def send_weakened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                etag = headers.get("etag")
                # A 304 has no body to encode: it names the tag as the client's copy has it.
                encoded = "content-encoding" in headers or (
                    message["status"] == 304 and f"W/{etag}" in if_none_match
                )
                if etag and encoded and not etag.startswith("W/"):
                    headers["ETag"] = f"W/{etag}"
            await send(message)

        await self.app(scope, receive, send_weakened)


def gzip_wanted(request: Request, media_type: str) -> bool:
    """Whether the middleware would gzip this response: the client accepts gzip (its test,
    as Starlette's) and the media type is not compressed already. An export built in a
    worker process is compressed there instead, off this process's event loop."""
    compressed = media_type.partition(";")[0].strip().lower() in ALREADY_COMPRESSED
    return "gzip" in request.headers.get("accept-encoding", "") and not compressed


def compression_middleware() -> list[Middleware]:
    """Outermost first: the ETag is weakened after the body has been compressed."""
    return [
        Middleware(WeakETagWhenEncoded),
        Middleware(GZipMiddleware, minimum_size=500, exclude_content_types=ALREADY_COMPRESSED),
    ]
