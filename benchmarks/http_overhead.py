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
HEADERS = [
    (b"host", b"bench"),
    (b"content-type", b"application/json"),
    (b"accept", b"application/graphql-response+json"),
    (b"content-length", str(len(BODY)).encode()),
]


async def _one(app: Any) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": HEADERS,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _measure(app: Any, requests: int) -> float:
    for _ in range(500):
        assert await _one(app) == 200
    start = time.perf_counter()
    for _ in range(requests):
        await _one(app)
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
