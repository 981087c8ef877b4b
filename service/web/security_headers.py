"""Headers every response carries: what a browser may load, sniff, frame and refer.

The page and GraphiQL load only the service's own scripts, styles and images (no inline
script, no CDN), so the policy can forbid everything else. ``response_manners`` adds them to
every response; a handler that sets one of these headers itself keeps its own value.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


async def server_error(request: Request, error: Exception) -> Response:
    """Starlette's answer to an unhandled error, sent from outside every middleware: it
    carries the security headers itself (the error is logged by the server)."""
    return JSONResponse(
        {"error": "internal server error; it has been logged"},
        status_code=500,
        headers={**dict(SECURITY_HEADERS), "Cache-Control": "no-store"},
    )
