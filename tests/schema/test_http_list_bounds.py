"""The list bounds (read once per data version for the node limit) are the service's own
read, not the user's query: a slow read is not cut off at the user statement timeout, a
request that runs out of its budget while it waits leaves the read to finish for the next
one, and the app reads them at start-up, before the first request asks.

The read is made slow for certain, not by machine speed: ``bounds_statement`` (the seam its
docstring names) gets an extra column counting to two million in a recursive query, about
1–1.5 s on either engine on this machine; the user statement timeout is 100 ms, and the
user query (``plans``) takes a few milliseconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from service.app import create_app
from service.core import list_bounds
from service.core.settings import Settings
from tests.schema.http_support import GRAPHQL_RESPONSE, asgi_client

STATEMENT_MS = 100
SLOW_STEPS = 2_000_000
QUERY = "{ plans { slug } }"


class SlowReads:
    """Counts the bounds reads started; each carries a term that takes about a second."""

    def __init__(self, original: Callable[[], Select[Any]]) -> None:
        self.original = original
        self.started = 0
        self.first = asyncio.Event()

    def __call__(self) -> Select[Any]:
        self.started += 1
        self.first.set()
        steps = select(literal(1).label("i")).cte("steps", recursive=True)
        steps = steps.union_all(select(steps.c.i + 1).where(steps.c.i < SLOW_STEPS))
        slow = select(func.count()).select_from(steps).scalar_subquery().label("slow")
        return self.original().add_columns(slow)


@pytest.fixture
def slow_reads(monkeypatch: pytest.MonkeyPatch) -> SlowReads:
    reads = SlowReads(list_bounds.bounds_statement)
    monkeypatch.setattr(list_bounds, "bounds_statement", reads)
    return reads


@asynccontextmanager
async def serving(seeded_engine: AsyncEngine, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app as ``stratagraph serve`` runs it (its lifespan, its own serving engine with
    the time limits) over the committed curated dataset."""
    app = create_app(
        Settings(database_url=seeded_engine.url, allowed_hosts=("testserver",), **settings)
    )
    async with app.router.lifespan_context(app), asgi_client(app) as client:
        yield client


async def _post(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": QUERY}, headers={"accept": GRAPHQL_RESPONSE}
    )


async def test_a_bounds_read_slower_than_the_statement_timeout_answers_200(
    seeded_engine: AsyncEngine, slow_reads: SlowReads
) -> None:
    async with serving(seeded_engine, statement_timeout_ms=STATEMENT_MS) as client:
        started = time.monotonic()
        response = await _post(client)
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert {"slug": "digital-strategy-of-korea"} in response.json()["data"]["plans"]
    assert slow_reads.started == 1
    assert elapsed > STATEMENT_MS / 1000  # the read did outlast the user statement timeout


async def test_a_request_out_of_budget_leaves_the_bounds_read_to_the_next_request(
    seeded_engine: AsyncEngine, slow_reads: SlowReads
) -> None:
    budget_ms = 300
    async with serving(
        seeded_engine,
        statement_timeout_ms=STATEMENT_MS,
        request_timeout_ms=budget_ms,
    ) as client:
        first = await _post(client)
        assert first.status_code == 504, first.text
        (error,) = first.json()["errors"]
        assert error["extensions"]["code"] == "REQUEST_TIMEOUT", error
        answers = [first]
        deadline = time.monotonic() + 30
        while answers[-1].status_code != 200 and time.monotonic() < deadline:
            await asyncio.sleep(budget_ms / 1000)
            answers.append(await _post(client))
    statuses = [answer.status_code for answer in answers]
    assert statuses[-1] == 200, statuses
    assert set(statuses[:-1]) == {504}, statuses
    assert slow_reads.started == 1, statuses


async def test_the_app_reads_the_bounds_at_start_up(
    seeded_engine: AsyncEngine, slow_reads: SlowReads
) -> None:
    async with serving(seeded_engine, statement_timeout_ms=STATEMENT_MS) as client:
        await asyncio.wait_for(slow_reads.first.wait(), 30)  # before any request
        response = await _post(client)
        again = await _post(client)
    assert response.status_code == again.status_code == 200, response.text
    assert slow_reads.started == 1


async def test_a_bounds_read_past_its_own_limit_is_504_naming_that_limit(
    seeded_engine: AsyncEngine, slow_reads: SlowReads
) -> None:
    async with serving(
        seeded_engine,
        statement_timeout_ms=60_000,
        list_bounds_timeout_ms=STATEMENT_MS,
    ) as client:
        response = await _post(client)
    assert response.status_code == 504, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {
        "code": "STATEMENT_TIMEOUT",
        "limit": "STRATAGRAPH_LIST_BOUNDS_TIMEOUT_MS",
        "maximum": STATEMENT_MS,
    }
