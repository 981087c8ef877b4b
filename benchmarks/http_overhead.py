"""Per-request cost of the ``/graphql`` HTTP layer, in process (no network, no database).

    python benchmarks/http_overhead.py [--requests 20000]

Drives the ASGI apps directly with a POST of ``{ __typename }`` and prints microseconds per
request for: a bare Starlette JSON route (the floor), our ``/graphql`` endpoint, and
strawberry's own ASGI view over the same schema (with its parser and validation caches).
The difference to the floor is what GraphQL-over-HTTP handling costs per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from typing import Any

from request_cpu import app_step
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from schema.build import build_schema
from schema.http import GraphQLEndpoint
from schema.limits import Limits
from schema.operation import Operations

BODY = json.dumps({"query": "query Q { __typename }"}).encode()


async def _measure(app: Any, requests: int) -> float:
    step = app_step(app, [BODY])  # stops the script on anything but a 200 without errors
    for turn in range(500):
        await step(turn)
    start = time.perf_counter()
    for turn in range(requests):
        await step(turn)
    return (time.perf_counter() - start) / requests * 1e6


def _apps() -> dict[str, Any]:
    async def floor(request: Request) -> JSONResponse:
        await request.body()
        return JSONResponse({"data": {"__typename": "Query"}})

    schema = build_schema()
    endpoint = GraphQLEndpoint(Operations(schema, Limits()), lambda request: None)
    return {
        "bare Starlette JSON route": Starlette(routes=[Route("/graphql", floor, methods=["POST"])]),
        "stratagraph /graphql": Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])]),
        "strawberry.asgi.GraphQL": Starlette(
            routes=[Route("/graphql", GraphQL(schema, graphql_ide=None))]
        ),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args()
    print(f"{'app':<28} {'µs/request':>11} {'req/s (1 core)':>15}")
    for name, app in _apps().items():
        micros = await _measure(app, args.requests)
        print(f"{name:<28} {micros:>11.1f} {1e6 / micros:>15,.0f}")


if __name__ == "__main__":
    asyncio.run(main())
