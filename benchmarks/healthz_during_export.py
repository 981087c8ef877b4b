"""``/healthz`` latency while one uvicorn worker serves exports of a large dataset.

Serves the app with one uvicorn worker, measures ``/healthz`` idle, then again while a client
downloads each export in turn (read as fast as it arrives), and prints a table of latency
percentiles. A worker whose event loop (or GIL) is busy building the file answers health
checks late; one whose exports are built in worker processes does not.

    .venv/bin/python benchmarks/healthz_during_export.py [DATABASE_URL] [--before CHECKOUT]
        [--formats xlsx,json,ics]

``--before`` also serves the code checked out in CHECKOUT (e.g. ``git worktree add /tmp/b
COMMIT``), first, in the same run. Without a URL it uses ``/tmp/stratagraph-bench/large.db``,
seeding ``large`` there first if the file does not exist.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
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
HERE = Path(__file__).resolve().parent.parent
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


async def download(client: httpx.AsyncClient, path: str, done: asyncio.Event) -> tuple[float, int]:
    started = time.perf_counter()
    size = 0
    try:
        async with client.stream("GET", path) as response:
            assert response.status_code == 200, response.status_code
            async for chunk in response.aiter_bytes():
                size += len(chunk)
    finally:
        done.set()
    return time.perf_counter() - started, size


def row(label: str, samples: list[float], export: str = "") -> str:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return (
        f"| {label} | {len(samples)} | {statistics.median(ordered):.1f} | {pct(95):.1f} "
        f"| {pct(99):.1f} | {ordered[-1]:.1f} | {export} |"
    )


def commit_of(checkout: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


async def measure(url: URL, checkout: Path | None, formats: list[str]) -> list[str]:
    """The table rows of one server: idle, then during each format's export in turn."""
    code = commit_of(checkout or HERE)
    rows = []
    env = {"STRATAGRAPH_LOG_LEVEL": "warning"}
    with live_server(url, env=env, timeout=120, cwd=checkout) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=900) as health,
            httpx.AsyncClient(base_url=base, timeout=900) as exports,
        ):
            idle = await health_latencies(health, 200.0)
            rows.append(row(f"{code} idle", idle))
            for name in formats:
                done = asyncio.Event()
                busy, (seconds, size) = await asyncio.gather(
                    health_latencies(health, done), download(exports, f"/exports/{name}", done)
                )
                rows.append(
                    row(f"{code} during {name}", busy, f"{seconds:.0f} s, {size / 1e6:.0f} MB")
                )
    return rows


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", nargs="?", help="default: SQLite large in /tmp")
    parser.add_argument(
        "--before", type=Path, help="a checkout of an earlier commit, measured first in the run"
    )
    parser.add_argument("--formats", default="xlsx,json,ics", help="exports, comma-separated")
    args = parser.parse_args()
    url = make_url(args.database_url) if args.database_url else await seeded_default()
    formats = [name.strip() for name in args.formats.split(",") if name.strip()]
    rows = []
    if args.before is not None:
        rows += await measure(url, args.before.resolve(), formats)
    rows += await measure(url, None, formats)
    print(f"database: {url.render_as_string(hide_password=True)}\n")
    print("| code, /healthz | samples | p50 ms | p95 ms | p99 ms | max ms | export |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for line in rows:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
