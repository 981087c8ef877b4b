"""``/healthz`` reports the database round trip."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import make_url

from service.app import create_app
from service.core.settings import Settings


async def test_healthz_ok(client: httpx.AsyncClient, backend: str) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend}
    assert response.headers["cache-control"] == "no-store"


async def test_healthz_503_when_database_unreachable() -> None:
    settings = Settings(database_url=make_url("postgresql+asyncpg://nobody@127.0.0.1:1/none"))
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/healthz")
    await app.state.runtime.engine.dispose()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
