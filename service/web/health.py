"""``/healthz``: liveness with a database round trip."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from service.core.database import first_line, ping
from service.core.errors import DatabaseUnavailableError
from service.web.runtime import runtime_of

logger = logging.getLogger(__name__)

# A health check answers within this, whatever the database does (a frozen server never
# answers at all): load balancers time out their probes after a few seconds.
HEALTH_TIMEOUT_S = 1.5


async def healthz(request: Request) -> JSONResponse:
    runtime = runtime_of(request)
    try:
        await ping(runtime.sessions, runtime.engine.url, HEALTH_TIMEOUT_S)
    except DatabaseUnavailableError as exc:
        logger.warning("health check failed: %s", first_line(exc))
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable"},
            status_code=503,
            headers={"Cache-Control": "no-store", "Retry-After": "5"},
        )
    return JSONResponse(
        {"status": "ok", "database": runtime.engine.dialect.name},
        headers={"Cache-Control": "no-store"},
    )
