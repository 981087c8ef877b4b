"""``/healthz`` latency while one worker builds an Excel export of a large dataset.

Serves the app with one uvicorn worker, measures ``/healthz`` idle, then again while a client
downloads ``/exports/xlsx`` (read as fast as it arrives), and prints a table of latency
percentiles. A worker whose event loop is busy building the workbook answers health checks
late; one that builds it in a worker thread does not.

    .venv/bin/python benchmarks/healthz_during_export.py [DATABASE_URL]

Without a URL it uses ``/tmp/stratagraph-bench/large.db``, seeding ``large`` there first if
the file does not exist.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.engine import URL, make_url

from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.live import live_server

DEFAULT = Path("/tmp/stratagraph-bench/large.db")
INTERVAL_S = 0.02


async def seeded_default() -> URL:
    url = make_url(f"sqlite+aiosqlite:///{DEFAULT}")
    if DEFAULT.exists():  # noqa: ASYNC240 - once, before anything runs
        return url
    import seed

    DEFAULT.parent.mkdir(parents=True, exist_ok=True)
    engine = engine_for_url(url)
    try:
        await migrate.upgrade(engine)
        await seed.load_synthetic(engine, "large")
    finally:
        await engine.dispose()
    return url


async def health_latencies(client: httpx.AsyncClient, until: asyncio.Event | float) -> list[float]:
    samples: list[float] = []
    while True:
        if isinstance(until, float) and len(samples) >= until:
            return samples
        if isinstance(until, asyncio.Event) and until.is_set():
            return samples
        started = time.perf_counter()
        response = await client.get("/healthz")
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        await asyncio.sleep(INTERVAL_S)


async def download(client: httpx.AsyncClient, done: asyncio.Event) -> tuple[float, int]:
    started = time.perf_counter()
    size = 0
    try:
        async with client.stream("GET", "/exports/xlsx") as response:
            assert response.status_code == 200
            async for chunk in response.aiter_bytes():
                size += len(chunk)
    finally:
        done.set()
    return time.perf_counter() - started, size


def row(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return (
        f"| {name} | {len(samples)} | {statistics.median(ordered):.1f} | {pct(95):.1f} "
        f"| {pct(99):.1f} | {ordered[-1]:.1f} |"
    )


async def main() -> int:
    url = make_url(sys.argv[1]) if len(sys.argv) > 1 else await seeded_default()
    with live_server(url, env={"STRATAGRAPH_LOG_LEVEL": "warning"}, timeout=120) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=600) as health,
            httpx.AsyncClient(base_url=base, timeout=600) as exports,
        ):
            idle = await health_latencies(health, 200.0)
            done = asyncio.Event()
            busy, (seconds, size) = await asyncio.gather(
                health_latencies(health, done), download(exports, done)
            )
    print(f"database: {url.render_as_string(hide_password=True)}")
    print(f"xlsx export: {seconds:.1f} s, {size / 1e6:.1f} MB\n")
    print("| /healthz | samples | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(row("idle", idle))
    print(row("during the export", busy))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
