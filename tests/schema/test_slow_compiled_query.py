"""A compiled statement that cannot finish in time, against a live worker on both engines:
stopped at the statement timeout or the request budget with the coded error naming the
setting, ``/healthz`` answering meanwhile, and the worker free for the next request.

The slowness is certain by construction, not by machine speed: the text filter is a LIKE
over the search index, and a pattern of a thousand ``a`` and a ``b`` against texts of two
thousand ``a`` costs about two million comparisons per text on either engine: tens of
seconds over the padding below (56 s on SQLite on this machine, when the request budget did
not stop it yet), while the limits are half a second. The statements
the service runs for itself per data version (the list bounds) stay a few milliseconds,
because the padding adds no list children.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from graphql import OperationDefinitionNode
from sqlalchemy import func, insert, select
from sqlalchemy.engine import URL

import seed
from migrations import runner as migrate
from schema.operation import Operations
from service.core import search_index
from service.core.database import engine_for_url
from service.core.models.enums import TaskKind
from service.core.queries import catalog
from tests.support.databases import temporary_database
from tests.support.live import live_server

PADDING_TASKS = 10_000
PADDING_TEXT = "a" * 2_000
SLOW_WORDS = "a" * 1_000 + "b"  # found in no text, after ~2 million comparisons per text
LIMIT_MS = 500
SLOW = """
query Slow($words: String!) {
  tasks(first: 1, filter: {text: $words}) { totalCount nodes { code } }
}
"""
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture(scope="module")
async def padded_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[URL]:
    """The curated dataset plus tasks whose descriptions are long runs of one letter."""
    folder = tmp_path_factory.mktemp("padded")
    async with temporary_database(backend, folder, "slowtext") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            await seed.load_curated(engine)
            async with engine.begin() as connection:
                strategy = (
                    await connection.execute(select(func.min(catalog.strategy.c.id)))
                ).scalar_one()
                rows = [
                    {
                        "code": f"PAD-{n}",
                        "strategy_id": strategy,
                        "position": 1_000 + n,
                        "title": f"padding {n}",
                        "description": PADDING_TEXT,
                        "kind": TaskKind.LIST_ITEM,
                        "depth": 1,
                        "outline_position": 1_000 + n,
                    }
                    for n in range(PADDING_TASKS)
                ]
                for start in range(0, len(rows), 1_000):
                    await connection.execute(insert(catalog.task), rows[start : start + 1_000])
                await search_index.refresh(connection)
        finally:
            await engine.dispose()
        yield url


def test_the_slow_query_is_wholly_compiled(operations: Operations) -> None:
    """What the live tests stop is the compiled statement, not the resolvers."""
    prepared = operations.prepare(SLOW)
    assert prepared.document is not None
    operation = prepared.operation(None)
    assert isinstance(operation, OperationDefinitionNode)
    split = operations.split(prepared, operation, {"words": SLOW_WORDS})
    assert split is not None
    assert split.rest is None


@dataclass
class Health:
    statuses: list[int]
    seconds: list[float]


async def _answer_while_polling_health(
    client: httpx.AsyncClient, query: str, variables: dict[str, str]
) -> tuple[httpx.Response, float, Health]:
    health = Health([], [])
    done = asyncio.Event()

    async def poll() -> None:
        while not done.is_set():
            started = time.monotonic()
            response = await client.get("/healthz")
            health.seconds.append(time.monotonic() - started)
            health.statuses.append(response.status_code)
            await asyncio.sleep(0.02)

    poller = asyncio.create_task(poll())
    started = time.monotonic()
    try:
        response = await _post(client, query, variables)
    finally:
        elapsed = time.monotonic() - started
        done.set()
        await poller
    return response, elapsed, health


async def _post(
    client: httpx.AsyncClient, query: str, variables: dict[str, str] | None = None
) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"accept": GRAPHQL_RESPONSE},
    )


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (and its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime, stime in clock ticks (USER_HZ)


async def _assert_worker_free(client: httpx.AsyncClient, pid: int) -> None:
    """The next requests answer at once, and nothing keeps computing the stopped answer."""
    await asyncio.sleep(0.5)  # the statement's own interruption, not a wait for it to finish
    before = _cpu_seconds(pid)
    await asyncio.sleep(1.0)
    busy = _cpu_seconds(pid) - before
    assert busy < 0.5, f"the worker used {busy:.2f} s of CPU in 1 s after the timeout"
    started = time.monotonic()
    cheap = await _post(client, SLOW, {"words": f"padding {PADDING_TASKS - 1}"})
    plans = await _post(client, "{ plans { slug } }")
    assert time.monotonic() - started < 2
    assert cheap.status_code == 200, cheap.text
    assert cheap.json()["data"]["tasks"]["totalCount"] == 1
    assert plans.status_code == 200, plans.text


def _assert_health_answered(health: Health) -> None:
    assert len(health.statuses) >= 3, health
    assert set(health.statuses) == {200}, health
    assert max(health.seconds) < 1, health


async def _stopped_by(padded_url: URL, limit: str, code: str, other: str) -> None:
    """Serve with ``limit`` at LIMIT_MS and ``other`` far above it; the slow query is answered
    504 with ``code`` naming ``limit``, health checks answer meanwhile, the worker is free."""
    env = {limit: str(LIMIT_MS), other: "120000", "STRATAGRAPH_LOG_LEVEL": "warning"}
    pids: list[int] = []
    with live_server(padded_url, env=env, started=pids.append) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            warm = await _post(client, "{ plans { slug } }")  # the list bounds, read once
            assert warm.status_code == 200, warm.text
            response, elapsed, health = await _answer_while_polling_health(
                client, SLOW, {"words": SLOW_WORDS}
            )
            assert response.status_code == 504, response.text[:500]
            (error,) = response.json()["errors"]
            assert error["extensions"] == {"code": code, "limit": limit, "maximum": LIMIT_MS}
            assert LIMIT_MS / 1000 <= elapsed < 5, elapsed
            _assert_health_answered(health)
            await _assert_worker_free(client, pids[0])


async def test_a_compiled_statement_is_stopped_at_the_statement_timeout(padded_url: URL) -> None:
    await _stopped_by(
        padded_url,
        "STRATAGRAPH_STATEMENT_TIMEOUT_MS",
        "STATEMENT_TIMEOUT",
        other="STRATAGRAPH_REQUEST_TIMEOUT_MS",
    )


async def test_a_compiled_statement_is_stopped_at_the_request_budget(padded_url: URL) -> None:
    await _stopped_by(
        padded_url,
        "STRATAGRAPH_REQUEST_TIMEOUT_MS",
        "REQUEST_TIMEOUT",
        other="STRATAGRAPH_STATEMENT_TIMEOUT_MS",
    )
