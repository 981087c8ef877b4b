"""``GET /favicon.ico``: browsers ask for it whatever the page says; the page links the SVG."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse

ASSETS = Path(__file__).resolve().parent / "assets"


async def favicon(request: Request) -> FileResponse:
    return FileResponse(
        ASSETS / "favicon.ico",
        media_type="image/vnd.microsoft.icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )
