"""Without a response cache, a wholly compiled query reads the data version in its own
statement (one round trip per request), and the node limit still counts it with the list
bounds of the data it read: over real HTTP on both engines."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.relay import encode_id
from service.core.data_version import VERSION_SQL
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import app_client, codes
from tests.support.sql import count_statements

# The node limit counts a task's laws as the most laws any task has.
LOOKUP = "query($id: ID!) { node(id: $id) { ... on Task { code laws { title } } } }"
TASK = {"id": encode_id("Task", 1)}
BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"


async def _post(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post("/graphql", json={"query": LOOKUP, "variables": TASK})


async def test_a_compiled_query_reads_the_version_in_its_one_statement(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    async with app_client(engine, db, graphql_cache_bytes=0) as client:
        first = await _post(client)  # the version the app has seen comes from this one
        with count_statements(engine) as log:
            again = await _post(client)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.json()["data"]["node"]["laws"] == [{"title": "Digital Inclusion Act"}]
    assert VERSION_SQL not in log.statements
    statements = log.queries()
    assert len(statements) == 1
    assert VERSION_SQL in statements[0]


async def test_an_answer_read_after_a_change_is_counted_with_the_new_bounds(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    """Counted first with the bounds of the version seen before (1 node: allowed); the
    statement reads the new version, whose bounds make it 2: refused as /graphql would
    refuse it before running it."""
    await insert_small_dataset(db)
    async with app_client(engine, db, graphql_cache_bytes=0, graphql_limits={"max_nodes": 1}) as (
        client
    ):
        assert (await _post(client)).status_code == 200
        await db.execute(text("INSERT INTO task_law (task_id, law_id) VALUES (1, 2)"))
        await db.execute(text(BUMP))
        refused = await _post(client)
        assert codes(refused) == ["QUERY_TOO_COMPLEX"]
        assert "up to 2 nodes" in refused.json()["errors"][0]["message"]
        assert "data" not in refused.json()
        again = await _post(client)  # now counted before it runs, with the new bounds
        assert codes(again) == ["QUERY_TOO_COMPLEX"]


async def test_a_refusal_by_old_bounds_is_checked_against_the_current_data(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    """Refused while a task had two laws; after one is removed the same query runs, though
    the version the app saw last is the old one."""
    await insert_small_dataset(db)
    await db.execute(text("INSERT INTO task_law (task_id, law_id) VALUES (1, 2)"))
    async with app_client(engine, db, graphql_cache_bytes=0, graphql_limits={"max_nodes": 1}) as (
        client
    ):
        assert codes(await _post(client)) == ["QUERY_TOO_COMPLEX"]
        await db.execute(text("DELETE FROM task_law WHERE task_id = 1 AND law_id = 2"))
        await db.execute(text(BUMP))
        answered = await _post(client)
    assert answered.status_code == 200, answered.text
    assert answered.json()["data"]["node"]["laws"] == [{"title": "Digital Inclusion Act"}]
