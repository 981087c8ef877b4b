"""A POST body sent again skips its decoding, checks and planning, and nothing else: the
answer is still read from the data, and a refused body is refused every time. Over HTTP
through the app, on both engines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.operation import Operations
from schema.relay import encode_id
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import app_client, codes

LOOKUP = "query($id: ID!) { node(id: $id) { ... on Task { code title } } }"
BODY = {"query": LOOKUP, "variables": {"id": encode_id("Task", 1)}}


@pytest.fixture
def plannings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The variables of every operation the endpoint plans."""
    seen: list[Any] = []
    split = Operations.split

    def counted(self: Operations, prepared: Any, operation: Any, variables: Any) -> Any:
        seen.append(variables)
        return split(self, prepared, operation, variables)

    monkeypatch.setattr(Operations, "split", counted)
    return seen


async def _post(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/graphql", json=body)


async def test_a_body_sent_again_is_planned_once_and_answered_from_the_data(
    engine: AsyncEngine, db: AsyncConnection, plannings: list[Any]
) -> None:
    await insert_small_dataset(db)
    async with app_client(engine, db, graphql_cache_bytes=0) as client:
        await _post(client, BODY)  # the first request reads the data version on its own
        plannings.clear()
        first = await _post(client, BODY)
        await db.execute(text("UPDATE task SET title = 'Renamed' WHERE id = 1"))
        again = await _post(client, BODY)
        other = await _post(client, {**BODY, "variables": {"id": encode_id("Task", 2)}})
    assert first.status_code == again.status_code == other.status_code == 200
    assert again.json()["data"]["node"]["title"] == "Renamed"
    assert first.json()["data"]["node"]["title"] != "Renamed"
    assert other.json()["data"]["node"]["code"] != first.json()["data"]["node"]["code"]
    assert len(plannings) == 2  # the first body once, the other body once


async def test_a_refused_body_is_refused_every_time(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    bad = {"query": LOOKUP, "variables": {"id": "nul\x00"}}
    async with app_client(engine, db, graphql_cache_bytes=0) as client:
        answers = [await _post(client, bad) for _ in range(2)]
    assert [codes(a) for a in answers] == [["BAD_USER_INPUT"], ["BAD_USER_INPUT"]]
