"""A worker builds at most ``STRATAGRAPH_MAX_CONCURRENT_EXPORTS`` exports at once; beyond that
an export or a full feed is a 503 with Retry-After, and every finished one frees its slot."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.app import create_app
from service.core.settings import Settings
from tests.conftest import bound_sessions
from tests.schema.http_support import asgi_client


async def test_exports_beyond_the_cap_are_503(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> None:
    app = create_app(
        Settings(database_url=seeded_engine.url, max_concurrent_exports=2),
        engine=seeded_engine,
        sessions=bound_sessions(seeded_db),
    )
    slots = app.state.runtime.exports
    async with asgi_client(app) as client:
        for _ in range(3):  # each finished download gives its slot back
            assert (await client.get("/exports/json")).status_code == 200
            assert (await client.get("/calendars/milestones.ics")).status_code == 200
        assert slots.running == 0
        assert slots.try_take()  # two exports are being built elsewhere in this worker
        assert slots.try_take()
        refused = [
            await client.get("/exports/xlsx"),
            await client.get("/calendars/milestones.ics"),
        ]
        head = await client.head("/exports/xlsx")  # headers only: builds nothing
        slots.give_back()
        accepted = await client.get("/exports/json")
        slots.give_back()
    for response in refused:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert "STRATAGRAPH_MAX_CONCURRENT_EXPORTS" in response.json()["error"]
    assert head.status_code == 200
    assert accepted.status_code == 200
    assert slots.running == 0
