"""Where people reach the service, for links written into responses and files.

A Host header is whatever the client sent: echoing it into a feed that caches store as
public, or into the page, would let anyone plant links to their own site. So absolute links
come from ``STRATAGRAPH_PUBLIC_URL`` when it is set, else from the request's own scheme and
host only when that host is one of ``STRATAGRAPH_ALLOWED_HOSTS``; otherwise there are none.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request

from service.web.runtime import runtime_of


def host_is_allowed(host: str | None, allowed: Iterable[str]) -> bool:
    """``host`` is listed, or falls under a listed ``*.domain`` (the domain itself too)."""
    if not host:
        return False
    host = host.lower().rstrip(".")
    for pattern in allowed:
        if pattern.startswith("*."):
            domain = pattern[2:]
            if host == domain or host.endswith(f".{domain}"):
                return True
        elif host == pattern:
            return True
    return False


def public_base_url(request: Request) -> str | None:
    """The base URL links may use (no trailing slash), or ``None`` when none is trusted."""
    settings = runtime_of(request).settings
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if host_is_allowed(request.url.hostname, settings.allowed_hosts):
        return str(request.base_url).rstrip("/")
    return None
