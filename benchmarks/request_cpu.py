"""CPU of one uncached ``/graphql`` request in process, and where it goes, layer by layer.

    python benchmarks/request_cpu.py DATABASE_URL [--requests 3000] [--rounds 3]
                                     [--only c] [--profile FILE]

Against the synthetic ``large`` dataset. The app is built as ``stratagraph serve`` builds it
(``create_app``, response cache off) and driven through raw ASGI calls, one request after
another, with the scenarios of ``graphql_load.py`` (rotating lookup ids). CPU is
``time.process_time()`` over ``--requests`` requests, so it moves little with the machine's
load; the database's own CPU (a PostgreSQL backend) is not in it, the client side of each
round trip is. Each layer is measured the same way, so the differences are the cost of what
a layer adds:

- ``app``: the whole ASGI app (middleware, routing, ``/graphql``, execution);
- ``operation``: ``Operations.run`` on a context of its own (prepare, plan, limits, the
  statement, the splice: what any transport pays);
- ``statement``: the compiled statement alone on a pooled driver connection
  (``Reader.driver_row``), with the plan the operation made.

What uvicorn adds (its HTTP parser and socket writes) is not in process; the benchmark
scripts that run a server (``graphql_load.py``, ``graphql_side_by_side.py``) include it.
``--profile FILE`` writes a cProfile of the ``app`` layer timed in CPU (read it with ``pstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import uvloop
from graphql_load import Scenario, scenarios

from schema.context import make_context
from schema.http import GraphQLEndpoint
from service.app import create_app
from service.core.database import create_session_factory, engine_for_url
from service.core.list_bounds import ListBounds
from service.core.queries.reader import Reader
from service.core.settings import Settings, parse_database_url

Step = Callable[[int], Awaitable[None]]


def post_scope(body: bytes) -> dict[str, Any]:
    """The scope of a JSON POST to ``/graphql``, as an ASGI server makes it."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"accept", b"application/graphql-response+json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


def app_step(app: Any, bodies: list[bytes]) -> Step:
    """One POST through the whole ASGI app; fails on anything but a 200 without errors."""

    async def step(turn: int) -> None:
        body = bodies[turn % len(bodies)]
        delivered = False
        status = 0
        sent: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal delivered
            if delivered:
                await asyncio.Event().wait()  # a client that stays connected
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                sent.append(message.get("body", b""))

        await app(post_scope(body), receive, send)
        answer = b"".join(sent)
        if status != 200 or answer.startswith(b'{"errors"'):
            raise SystemExit(f"HTTP {status}: {answer[:300]!r}")

    return step


def operation_step(endpoint: GraphQLEndpoint, case: Scenario, sessions: Any) -> Step:
    """``Operations.run`` with a fresh context per request, as ``/graphql`` makes one."""
    operations = endpoint.operations
    bounds: list[ListBounds] = []  # the list bounds of the data, read once

    async def step(turn: int) -> None:
        if not bounds:
            assert endpoint.data_version is not None
            bounds.append(await endpoint.list_bounds(await endpoint.data_version()))
        variables = case.variants[turn % len(case.variants)]
        context = make_context(sessions)
        try:
            outcome = await operations.run(case.query, variables, context, bounds=bounds[0])
        finally:
            await context.close()
        if outcome.errors:
            raise SystemExit(f"{case.name}: {outcome.errors}")

    return step


def statement_step(endpoint: GraphQLEndpoint, case: Scenario, sessions: Any) -> Step:
    """The compiled statement alone, each variable set's SQL and parameters made beforehand."""
    operations = endpoint.operations
    assert operations.compiler is not None
    statements = []
    for variables in case.variants:
        prepared = operations.prepare(case.query)
        operation = prepared.operation(None)
        assert not isinstance(operation, Exception)
        split = operations.split(prepared, operation, variables)
        if split is None or split.rest is not None:
            raise SystemExit(f"{case.name} is not wholly compiled")
        reader = Reader(sessions)
        sql = operations.compiler.sql(prepared.statements, reader, None, split.plan)
        statements.append((sql, split.plan.params))

    async def step(turn: int) -> None:
        sql, params = statements[turn % len(statements)]
        reader = Reader(sessions)
        try:
            await reader.driver_row(sql, params)
        finally:
            await reader.close()

    return step


async def cpu_ms(step: Step, requests: int) -> float:
    for turn in range(min(requests, 300)):  # warm caches and the pool
        await step(turn)
    started = time.process_time()
    for turn in range(requests):
        await step(turn)
    return (time.process_time() - started) * 1000 / requests


def _endpoint(app: Any) -> GraphQLEndpoint:
    for route in app.routes:
        endpoint = getattr(route, "endpoint", None)
        endpoint = getattr(endpoint, "__self__", endpoint)  # an earlier commit's bound method
        if getattr(route, "path", None) == "/graphql" and isinstance(endpoint, GraphQLEndpoint):
            return endpoint
    raise SystemExit("no /graphql endpoint in the app")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="database URL (the synthetic large dataset)")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3, help="each layer measured this often")
    parser.add_argument("--only", default="c", help="comma-separated scenario letters")
    parser.add_argument("--lookup-ids", type=int, default=500)
    parser.add_argument(
        "--layers", default="app,operation,statement", help="comma-separated layers to measure"
    )
    parser.add_argument("--profile", help="write a cProfile of the app layer to this file")
    args = parser.parse_args()

    url = parse_database_url(args.url)
    cases = [c for c in await scenarios(args.url, args.lookup_ids) if c.name[0] in args.only]
    engine = engine_for_url(url)
    app = create_app(Settings(database_url=url, graphql_cache_bytes=0), engine=engine)
    sessions = create_session_factory(engine)
    endpoint = _endpoint(app)
    print(
        f"{url.get_backend_name()}, {args.requests} requests per measurement, median of "
        f"{args.rounds} rounds (min-max)"
    )
    print(f"{'scenario':<12} {'layer':<10} {'CPU ms/req':>10} {'range':>13}")
    try:
        for case in cases:
            layers = {
                "app": app_step(app, case.bodies()),
                "operation": operation_step(endpoint, case, sessions),
                "statement": statement_step(endpoint, case, sessions),
            }
            chosen = args.layers.split(",")
            layers = {name: step for name, step in layers.items() if name in chosen}
            figures: dict[str, list[float]] = {name: [] for name in layers}
            for _ in range(args.rounds):  # interleaved, so a change of load hits every layer
                for name, step in layers.items():
                    figures[name].append(await cpu_ms(step, args.requests))
            for name, found in figures.items():
                print(
                    f"{case.name:<12} {name:<10} {statistics.median(found):>10.3f} "
                    f"{min(found):>6.3f}-{max(found):.3f}"
                )
            if args.profile:
                profiler = cProfile.Profile(time.process_time)
                step = app_step(app, case.bodies())
                profiler.enable()
                for turn in range(args.requests):
                    await step(turn)
                profiler.disable()
                profiler.dump_stats(f"{args.profile}.{case.name[0]}")
    finally:
        await engine.dispose()


if __name__ == "__main__":
    uvloop.run(main())  # the event loop uvicorn runs the app on
