"""GraphQL under a tight statement timeout: the list bounds' read is the service's own.

    python benchmarks/list_bounds_timeout.py DATABASE_URL [DATABASE_URL ...]
                              [--statement-timeout-ms 200] [--requests 20] [--before DIR]

Against the synthetic ``large`` dataset, whose list bounds (one statement of ~25 aggregates,
read once per data version for the node limit) take most of a second. Prints how long that
read takes on each database (in process, no time limit), then serves each database with one
uvicorn worker and ``STRATAGRAPH_STATEMENT_TIMEOUT_MS`` set low and sends fast queries one
after another from the moment the server answers ``/healthz``: the statuses they get and how
long the first one and the others took. ``--before DIR`` (a ``git worktree add DIR COMMIT``
checkout) serves that tree too, before this one's.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.core.database import create_session_factory, engine_for_url  # noqa: E402
from service.core.list_bounds import read_list_bounds  # noqa: E402
from service.core.queries.reader import Reader  # noqa: E402
from service.core.settings import parse_database_url  # noqa: E402
from tests.support.live import live_server  # noqa: E402

QUERIES = (
    "{ plans { slug } }",
    "{ tasks(first: 10) { nodes { code milestones { title } } } }",
)


async def read_seconds(url: str, times: int = 3) -> list[float]:
    engine = engine_for_url(parse_database_url(url))
    try:
        seconds = []
        for _ in range(times):
            reader = Reader(create_session_factory(engine))
            started = time.perf_counter()
            try:
                await read_list_bounds(reader)
            finally:
                await reader.close()
            seconds.append(time.perf_counter() - started)
        return seconds
    finally:
        await engine.dispose()


async def answers(base: str, requests: int) -> list[tuple[int, str, float]]:
    """(status, first error code or "", seconds) of each request, one after another."""
    found = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for n in range(requests):
            started = time.perf_counter()
            response = await client.post("/graphql", json={"query": QUERIES[n % len(QUERIES)]})
            elapsed = time.perf_counter() - started
            errors = response.json().get("errors") or [{}]
            found.append(
                (response.status_code, errors[0].get("extensions", {}).get("code", ""), elapsed)
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="database URLs of the synthetic large dataset")
    parser.add_argument("--statement-timeout-ms", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--before", type=Path, help="a checkout of an earlier commit")
    args = parser.parse_args()

    print("list bounds' read, no time limit (3 reads)")
    print(f"{'database':<12} {'seconds':>24}")
    for url in args.urls:
        seconds = asyncio.run(read_seconds(url))
        name = parse_database_url(url).get_backend_name()
        print(f"{name:<12} {' / '.join(f'{s:.2f}' for s in seconds):>24}")

    trees = [("before", args.before.resolve()), ("this", ROOT)] if args.before else [("this", ROOT)]
    env = {
        "STRATAGRAPH_STATEMENT_TIMEOUT_MS": str(args.statement_timeout_ms),
        "STRATAGRAPH_GRAPHQL_CACHE_BYTES": "0",  # every request counts its nodes afresh
        "STRATAGRAPH_LOG_LEVEL": "warning",
    }
    print()
    print(
        f"GraphQL, STRATAGRAPH_STATEMENT_TIMEOUT_MS={args.statement_timeout_ms}, "
        f"{args.requests} requests one after another from start-up"
    )
    print(
        f"{'server':<8} {'database':<12} {'statuses':<34} {'first (s)':>10} {'others p50 (s)':>15}"
    )
    for label, tree in trees:
        for url in args.urls:
            with live_server(make_url(url), env=env, cwd=tree) as base:
                found = asyncio.run(answers(base, args.requests))
            statuses = Counter(f"{status} {code}".strip() for status, code, _ in found)
            shown = ", ".join(f"{count} x {key}" for key, count in sorted(statuses.items()))
            others = statistics.median(seconds for _, _, seconds in found[1:])
            name = make_url(url).get_backend_name()
            print(f"{label:<8} {name:<12} {shown:<34} {found[0][2]:>10.2f} {others:>15.3f}")


if __name__ == "__main__":
    main()
