"""What a calendar subscriber's poll costs when nothing changed: a ``304 Not Modified``.

For each database, through the feed's route handler in a Starlette app over HTTP
(``httpx.ASGITransport``; only the feed's route is mounted, so the figure is the
handler's own cost): a ``HEAD`` of
``/calendars/milestones.ics`` to learn the ETag and Last-Modified, then ``--repeat``
conditional GETs with ``If-None-Match`` and as many with ``If-Modified-Since``, for the
whole feed and for one plan. Prints the median and worst time of a revalidation and the
SQL statements it ran.

    python benchmarks/feed_revalidation.py URL [URL ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

import httpx
from exports import read_only  # the sibling script (its directory is on sys.path)
from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.routing import Route

from service.core.database import create_session_factory, engine_for_url
from service.core.models import Plan
from service.core.settings import Settings, parse_database_url
from service.web.calendars import milestones_feed
from service.web.runtime import Runtime


async def measure(raw_url: str, repeat: int) -> list[str]:
    url = read_only(parse_database_url(raw_url))
    engine = engine_for_url(url)
    sessions = create_session_factory(engine)
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    app = Starlette(
        routes=[Route("/calendars/milestones.ics", milestones_feed, methods=["GET", "HEAD"])]
    )
    app.state.runtime = Runtime.start(Settings(database_url=url), engine, sessions)
    transport = httpx.ASGITransport(app=app)
    lines = []
    try:
        async with sessions() as session:
            plan = (await session.execute(select(Plan.slug).order_by(Plan.id))).scalars().first()
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for label, params in (("whole feed", {}), (f"plan={plan}", {"plan": plan or ""})):
                head = await client.head("/calendars/milestones.ics", params=params)
                etag, modified = head.headers["etag"], head.headers["last-modified"]
                for header, value in (("If-None-Match", etag), ("If-Modified-Since", modified)):
                    times = []
                    statements.clear()
                    event.listen(engine.sync_engine, "before_cursor_execute", record)
                    try:
                        for _ in range(repeat):
                            started = time.perf_counter()
                            response = await client.get(
                                "/calendars/milestones.ics", params=params, headers={header: value}
                            )
                            times.append(time.perf_counter() - started)
                            assert response.status_code == 304, response.status_code
                    finally:
                        event.remove(engine.sync_engine, "before_cursor_execute", record)
                    queries = [
                        s
                        for s in statements
                        if not s.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK"))
                    ]
                    lines.append(
                        f"{describe(raw_url):<34} {label:<34} {header:<18} "
                        f"{statistics.median(times) * 1000:>8.1f} {max(times) * 1000:>8.1f} "
                        f"{len(queries) / repeat:>5.0f}"
                    )
    finally:
        await engine.dispose()
    return lines


def describe(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.get_backend_name()}:{Path(parsed.database or '').name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    header = (
        f"{'database':<34} {'feed':<34} {'conditional':<18} {'p50 ms':>8} {'max ms':>8} {'SQL':>5}"
    )
    print(header)
    print("-" * len(header))
    for url in args.urls:
        for line in asyncio.run(measure(url, args.repeat)):
            print(line, flush=True)


if __name__ == "__main__":
    main()
