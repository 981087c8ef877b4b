"""Database failures in GraphQL: one error per failure, timeouts named, outages as 503."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import httpx
import pytest
import strawberry
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.applications import Starlette
from starlette.routing import Route

from schema.http import GraphQLEndpoint
from schema.limits import Limits
from schema.operation import Operations
from service.app import create_app
from service.core.database import Timeouts, engine_for_url, failure_kind
from service.core.settings import Settings
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client, asgi_client
from tests.support.ci import unavailable

TASK_SOURCES = "{ tasks(first: 100) { nodes { code sources { quote } } } }"


async def _post(client: httpx.AsyncClient, query: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query}, headers={"accept": GRAPHQL_RESPONSE}
    )


async def test_a_failed_batch_is_one_error_without_sql(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection, caplog: pytest.LogCaptureFixture
) -> None:
    """Every task waits for the one citation batch; its failure used to be copied into an
    error (and a logged traceback holding the SQL) per task."""
    await seeded_db.execute(text("DROP TABLE citation"))  # rolled back with the test
    with caplog.at_level(logging.ERROR, logger="stratagraph.graphql"):
        async with app_client(seeded_engine, seeded_db) as client:
            response = await _post(client, TASK_SOURCES)
    body = response.json()
    assert len(body["errors"]) == 1, [e.get("path") for e in body["errors"]][:5]
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert "citation" not in response.text.lower()
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


@strawberry.type
class Slow:
    @strawberry.field
    async def wait(self) -> str:
        await asyncio.sleep(5)
        return "done"


async def test_the_request_budget_answers_504_naming_the_limit() -> None:
    endpoint = GraphQLEndpoint(
        Operations(strawberry.Schema(Slow), Limits(request_timeout_ms=200)), lambda r: None
    )
    app = Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])
    started = time.monotonic()
    async with asgi_client(app) as client:
        response = await _post(client, "{ wait }")
    assert time.monotonic() - started < 2
    assert response.status_code == 504
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "REQUEST_TIMEOUT",
        "limit": "STRATAGRAPH_REQUEST_TIMEOUT_MS",
        "maximum": 200,
    }


SLOW_SQL = {
    "sqlite": "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
    "SELECT count(*) FROM r",
    "postgresql": "SELECT pg_sleep(5)",
}


async def test_a_statement_is_stopped_at_the_statement_timeout(
    engine: AsyncEngine, backend: str
) -> None:
    limited = engine_for_url(engine.url, timeouts=Timeouts(statement_ms=300, connect_ms=2000))
    try:
        started = time.monotonic()
        async with limited.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(text(SLOW_SQL[backend]))
            elapsed = time.monotonic() - started
            assert failure_kind(raised.value) == "statement_timeout"
            await connection.rollback()
            # The connection stays usable for the next statement.
            assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await limited.dispose()
    assert elapsed < 2


async def test_database_unreachable_is_503_with_retry_after() -> None:
    """It used to be a 200 with a masked internal error."""
    url = make_url("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(Settings(database_url=url, connect_timeout_ms=1000))
    try:
        async with asgi_client(app) as client:
            graphql = await _post(client, "{ plans { slug } }")
            export = await client.get("/exports/json")
            feed = await client.get("/calendars/milestones.ics")
            health = await client.get("/healthz")
    finally:
        await app.state.runtime.engine.dispose()
    assert graphql.status_code == 503
    assert graphql.headers["retry-after"] == "5"
    (error,) = graphql.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    for response in (export, feed, health):
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"


async def _silent_server(
    held: list[asyncio.StreamWriter],
) -> tuple[asyncio.Server, int]:
    """A server that accepts connections and never answers: a frozen database."""

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_a_database_that_never_answers_is_503_within_the_timeouts() -> None:
    """A frozen server used to hang every request, health checks included."""
    held: list[asyncio.StreamWriter] = []
    server, port = await _silent_server(held)
    url = make_url(f"postgresql+asyncpg://nobody@127.0.0.1:{port}/frozen")
    app = create_app(Settings(database_url=url, connect_timeout_ms=800))
    try:
        async with asgi_client(app) as client:
            timings: dict[str, tuple[int, float]] = {}
            for name, path in (("health", "/healthz"), ("export", "/exports/xlsx")):
                started = time.monotonic()
                response = await client.get(path)
                timings[name] = (response.status_code, time.monotonic() - started)
            started = time.monotonic()
            response = await _post(client, "{ plans { slug } }")
            timings["graphql"] = (response.status_code, time.monotonic() - started)
    finally:
        await app.state.runtime.engine.dispose()
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
    assert all(status == 503 for status, _ in timings.values()), timings
    assert timings["health"][1] < 2, timings
    assert all(seconds < 3 for _, seconds in timings.values()), timings


async def test_a_missing_sqlite_file_is_an_outage_not_a_new_database(tmp_path: Path) -> None:
    missing = tmp_path / "gone.db"
    app = create_app(Settings(database_url=make_url(f"sqlite+aiosqlite:///{missing}")))
    try:
        async with asgi_client(app) as client:
            graphql = await _post(client, "{ plans { slug } }")
            health = await client.get("/healthz")
            export = await client.get("/exports/json")
    finally:
        await app.state.runtime.engine.dispose()
    assert not missing.exists()  # it used to be created, empty
    assert graphql.status_code == 503
    assert graphql.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert health.status_code == 503
    assert export.status_code == 503


async def test_a_sqlite_file_deleted_under_the_server(tmp_path: Path) -> None:
    import seed
    from migrations import runner as migrate

    path = tmp_path / "live.db"
    url = make_url(f"sqlite+aiosqlite:///{path}")
    setup = engine_for_url(url)
    await migrate.upgrade(setup)
    await seed.load_curated(setup)
    await setup.dispose()
    app = create_app(Settings(database_url=url))
    statuses: list[int] = []
    try:
        async with asgi_client(app) as client:
            before = await _post(client, "{ plans { slug } }")
            assert before.status_code == 200, before.text
            for name in ("live.db", "live.db-wal", "live.db-shm"):
                (tmp_path / name).unlink(missing_ok=True)
            for _ in range(5):
                statuses.append((await client.get("/healthz")).status_code)
                statuses.append((await _post(client, "{ plans { slug } }")).status_code)
                statuses.append((await client.get("/exports/json")).status_code)
    finally:
        await app.state.runtime.engine.dispose()
    assert set(statuses) == {503}, statuses
    assert not path.exists()


async def test_a_read_only_sqlite_file_serves_reads(tmp_path: Path) -> None:
    """A WAL-mode file in a folder nobody may write: it used to fail every read ("unable to
    open database file": SQLite wants a shared-memory file beside it)."""
    import subprocess

    import seed
    from migrations import runner as migrate

    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "readonly.db"
    url = make_url(f"sqlite+aiosqlite:///{path}")
    setup = engine_for_url(url)
    await migrate.upgrade(setup)
    await seed.load_curated(setup)
    await setup.dispose()

    async def chattr(flag: str, target: Path) -> bool:
        done = await asyncio.to_thread(
            subprocess.run, ["chattr", flag, str(target)], capture_output=True
        )
        return done.returncode == 0

    # Immutable: not even root may write them (file permissions do not stop root).
    if not (await chattr("+i", path) and await chattr("+i", folder)):
        await chattr("-i", path)
        unavailable("chattr +i (read-only even for root) is not supported here")
    app = create_app(Settings(database_url=url))
    try:
        async with asgi_client(app) as client:
            graphql = await _post(client, "{ plans { slug } }")
            health = await client.get("/healthz")
            export = await client.get("/exports/json")
            feed = await client.get("/calendars/milestones.ics")
    finally:
        await app.state.runtime.engine.dispose()
        await chattr("-i", folder)
        await chattr("-i", path)
    assert graphql.status_code == 200, graphql.text
    assert graphql.json()["data"]["plans"]
    assert health.status_code == 200
    assert export.status_code == 200
    assert export.json()["plans"]
    assert feed.status_code == 200
    assert feed.text.rstrip().endswith("END:VCALENDAR")


async def test_a_statement_timeout_is_one_504_naming_the_setting(
    engine: AsyncEngine, backend: str
) -> None:
    """Fields whose statement the database stopped (its real error, through a real engine
    with the serving time limits) answer one coded error, not a masked one per field."""
    limited = engine_for_url(engine.url, timeouts=Timeouts(statement_ms=200, connect_ms=2000))

    async def run_slow_statement() -> str | None:
        async with limited.connect() as connection:
            await connection.execute(text(SLOW_SQL[backend]))
        return "never"

    @strawberry.type
    class Query:
        @strawberry.field
        async def slow(self) -> str | None:
            return await run_slow_statement()

        @strawberry.field
        async def also_slow(self) -> str | None:
            return await run_slow_statement()

    endpoint = GraphQLEndpoint(
        Operations(strawberry.Schema(Query), Limits(statement_timeout_ms=200)), lambda r: None
    )
    app = Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])
    try:
        async with asgi_client(app) as client:
            response = await _post(client, "{ slow alsoSlow }")
    finally:
        await limited.dispose()
    assert response.status_code == 504, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "STATEMENT_TIMEOUT",
        "limit": "STRATAGRAPH_STATEMENT_TIMEOUT_MS",
        "maximum": 200,
    }
