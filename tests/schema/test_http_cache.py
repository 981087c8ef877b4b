"""``/graphql`` answers cached per data version, over real HTTP on both engines."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.cache import Key, ResponseCache, Stored
from schema.http import _cacheable
from schema.operation import Outcome, Phase, masked_error
from service.core.data_version import VERSION_SQL
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client
from tests.support.sql import count_statements

PLAN = "query Plan($slug: String!) { plan(slug: $slug) { title } }"
TWO = "query A { plans { slug } } query B { plans { title } }"


async def _post(client: httpx.AsyncClient, query: str, **extra: Any) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query, **extra})
    assert response.status_code == 200, response.text
    return response


async def test_a_repeated_query_runs_only_the_version_read(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    first = await _post(client, PLAN, variables={"slug": "plan-a"})
    with count_statements(db.engine) as log:
        again = await _post(client, PLAN, variables={"slug": "plan-a"})
    assert log.statements == [VERSION_SQL]
    assert again.content == first.content
    assert again.json() == {"data": {"plan": {"title": "Plan A"}}}
    assert "etag" not in again.headers  # POST answers carry no validator


async def test_a_write_changes_the_version_and_the_next_answer(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    await _post(client, PLAN, variables={"slug": "plan-a"})
    await db.execute(text("UPDATE plan SET title = 'Plan A, revised' WHERE slug = 'plan-a'"))
    with count_statements(db.engine) as log:
        updated = await _post(client, PLAN, variables={"slug": "plan-a"})
    assert len(log.queries()) > 1
    assert updated.json() == {"data": {"plan": {"title": "Plan A, revised"}}}

    await db.execute(text("DELETE FROM citation WHERE plan_id = 1"))
    await db.execute(text("DELETE FROM plan WHERE slug = 'plan-a'"))
    assert (await _post(client, PLAN, variables={"slug": "plan-a"})).json()["data"] == {
        "plan": None
    }


async def test_variables_operation_and_media_type_do_not_collide(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    for _ in range(2):  # the second round is answered from the cache
        a = await _post(client, PLAN, variables={"slug": "plan-a"})
        b = await _post(client, PLAN, variables={"slug": "plan-b"})
        assert a.json()["data"]["plan"]["title"] == "Plan A"
        assert b.json()["data"]["plan"]["title"] == "Plan B"
        slugs = await _post(client, TWO, operationName="A")
        titles = await _post(client, TWO, operationName="B")
        assert slugs.json()["data"]["plans"][0] == {"slug": "plan-a"}
        assert titles.json()["data"]["plans"][0] == {"title": "Plan A"}
        plain = await client.post("/graphql", json={"query": TWO, "operationName": "A"})
        typed = await client.post(
            "/graphql",
            json={"query": TWO, "operationName": "A"},
            headers={"accept": GRAPHQL_RESPONSE},
        )
        assert plain.headers["content-type"] == "application/json"
        assert typed.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"


async def test_user_errors_in_a_result_are_cached_request_errors_skip_the_cache(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    bad_cursor = '{ tasks(first: 2, after: "not-a-cursor") { nodes { code } } }'
    first = await _post(client, bad_cursor)
    assert first.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    with count_statements(db.engine) as log:
        again = await _post(client, bad_cursor)
    assert log.statements == [VERSION_SQL]
    assert again.content == first.content
    # Invalid documents never reach the cache (nor the database).
    with count_statements(db.engine) as log:
        invalid = await _post(client, "{ plans { nope } }")
    assert log.statements == []
    assert invalid.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_results_with_a_masked_error_are_not_cacheable() -> None:
    masked = Outcome(Phase.EXECUTED, [masked_error("r1")], {"plans": None})
    user = Outcome(Phase.EXECUTED, [{"message": "m", "extensions": {"code": "BAD_USER_INPUT"}}])
    assert not _cacheable(masked)
    assert _cacheable(user)
    assert not _cacheable(Outcome(Phase.INTERNAL, [masked_error("r2")]))
    assert not _cacheable(Outcome(Phase.VARIABLES, []))


async def test_a_zero_byte_cache_is_off(engine: AsyncEngine, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    async with app_client(engine, db, graphql_cache_bytes=0) as client:
        await _post(client, PLAN, variables={"slug": "plan-a"})
        with count_statements(db.engine) as log:
            await _post(client, PLAN, variables={"slug": "plan-a"})
        # The answer is computed again, in one statement that also reads the version (the
        # node limit's list bounds are kept per version).
        assert [VERSION_SQL in statement for statement in log.queries()] == [True]
        assert "FROM plan" in log.queries()[0]
        get = await client.get("/graphql", params={"query": "{ plans { slug } }"})
        assert "etag" not in get.headers


async def test_the_byte_bound_evicts_the_least_recently_used(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    # Room for about one answer of this size (key overhead included).
    async with app_client(engine, db, graphql_cache_bytes=800) as client:
        await _post(client, PLAN, variables={"slug": "plan-a"})
        await _post(client, PLAN, variables={"slug": "plan-b"})  # evicts plan-a
        with count_statements(db.engine) as log:
            await _post(client, PLAN, variables={"slug": "plan-b"})
        assert log.statements == [VERSION_SQL]
        with count_statements(db.engine) as log:
            await _post(client, PLAN, variables={"slug": "plan-a"})
        assert len(log.queries()) > 1


def test_the_cache_keeps_within_its_bytes_and_refreshes_on_use() -> None:
    def key(n: int) -> Key:
        return Key(7, "{ plans { slug } }", None, {"n": n}, None, "application/json")

    entry = Stored(b"x" * 100, 200)
    cost = key(0).size + 100
    cache = ResponseCache(3 * cost)
    for n in range(3):
        cache.put(key(n), entry)
    assert cache.get(key(0)) is entry  # now the most recently used
    cache.put(key(3), entry)
    assert len(cache) == 3
    assert cache.size == 3 * cost
    assert cache.get(key(1)) is None
    assert cache.get(key(0)) is entry
    cache.put(key(9), Stored(b"x" * (4 * cost), 200))  # bigger than the cache: not stored
    assert cache.get(key(9)) is None
    assert len(cache) == 3
    assert key(1) != Key(8, "{ plans { slug } }", None, {"n": 1}, None, "application/json")


async def test_get_etag_and_if_none_match(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    params = {"query": PLAN, "variables": json.dumps({"slug": "plan-a"})}
    first = await client.get("/graphql", params=params)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"

    with count_statements(db.engine) as log:
        revalidated = await client.get(
            "/graphql", params=params, headers={"if-none-match": f'W/"other", {etag}'}
        )
    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    assert log.statements == [VERSION_SQL]

    other = await client.get(
        "/graphql", params={**params, "variables": json.dumps({"slug": "plan-b"})}
    )
    assert other.headers["etag"] != etag
    typed = await client.get("/graphql", params=params, headers={"accept": GRAPHQL_RESPONSE})
    assert typed.headers["etag"] != etag

    await db.execute(text("UPDATE plan SET title = 'Renamed' WHERE slug = 'plan-a'"))
    changed = await client.get("/graphql", params=params, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json() == {"data": {"plan": {"title": "Renamed"}}}


async def test_the_etag_is_the_same_in_every_worker(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    params = {"query": PLAN, "variables": json.dumps({"slug": "plan-a"})}
    async with app_client(engine, db) as one, app_client(engine, db) as two:
        etag = (await one.get("/graphql", params=params)).headers["etag"]
        answer = await two.get("/graphql", params=params, headers={"if-none-match": etag})
    assert answer.status_code == 304
