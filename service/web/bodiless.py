"""Answers without a body (HEAD, 304) for content whose length is known only once it is made."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response


def headers_only(status: int, headers: Mapping[str, str], media_type: str) -> Response:
    """GET's headers without Content-Length: Starlette would send "0", which is false for
    content that is generated while it streams (RFC 9110 lets HEAD omit it)."""
    response = Response(status_code=status, headers=dict(headers), media_type=media_type)
    del response.headers["content-length"]
    if status == 304:
        del response.headers["content-type"]
    return response
