"""Where people reach the service, for links written into responses and files."""

from __future__ import annotations

from starlette.requests import Request

from service.web.runtime import runtime_of


def public_base_url(request: Request) -> str:
    """``STRATAGRAPH_PUBLIC_URL`` (behind a proxy), else the request's own base URL."""
    configured = runtime_of(request).settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
