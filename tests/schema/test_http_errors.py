"""Errors over HTTP: user errors keep their code, unexpected ones are logged and masked."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from schema.errors import BadUserInput
from schema.http import GraphQLEndpoint
from schema.limits import Limits
from schema.operation import Operations
from tests.schema.http_support import GRAPHQL_RESPONSE, asgi_client


class Closable:
    closed = 0

    async def close(self) -> None:
        Closable.closed += 1


@strawberry.type
class Query:
    @strawberry.field
    def fine(self) -> str:
        return "fine"

    @strawberry.field
    def broken(self) -> str | None:
        raise RuntimeError("secret connection string postgres://admin:pw@db")

    @strawberry.field
    async def broken_async(self) -> str | None:
        raise KeyError("internal detail")

    @strawberry.field
    def picky(self, size: int) -> str:
        raise BadUserInput("size", f"{size} is out of range; ask for 0 to 100")


def _app(context_factory: Any = None) -> Starlette:
    endpoint = GraphQLEndpoint(
        Operations(strawberry.Schema(Query), Limits()),
        context_factory or (lambda request: Closable()),
    )
    return Starlette(routes=[Route("/graphql", endpoint, methods=["GET", "POST"])])


async def _post(app: Starlette, query: str, accept: str = GRAPHQL_RESPONSE) -> httpx.Response:
    async with asgi_client(app) as client:
        return await client.post("/graphql", json={"query": query}, headers={"accept": accept})


@pytest.mark.parametrize("field", ["broken", "brokenAsync"])
async def test_unexpected_exception_is_masked_and_logged_with_request_id(
    field: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="stratagraph.graphql"):
        response = await _post(_app(), f"{{ fine {field} }}")
    assert response.status_code == 200  # partial data: the spec's 2xx
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert body["data"] == {"fine": "fine", field: None}
    assert body["errors"] == [
        {
            "message": "Internal server error",
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            "locations": [{"line": 1, "column": 8}],
            "path": [field],
        }
    ]
    assert "secret" not in response.text
    assert "internal detail" not in response.text
    assert "Traceback" not in response.text
    (record,) = [r for r in caplog.records if request_id in r.getMessage()]
    assert record.exc_info is not None  # the traceback goes to the log, not the client


async def test_user_errors_keep_message_and_code() -> None:
    response = await _post(_app(), "{ picky(size: 1000) }")
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["message"] == "size: 1000 is out of range; ask for 0 to 100"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "size"}


async def test_context_is_closed_after_each_operation() -> None:
    before = Closable.closed
    await _post(_app(), "{ fine }")
    await _post(_app(), "{ broken }")
    assert Closable.closed == before + 2


async def test_context_failure_is_a_masked_500(caplog: pytest.LogCaptureFixture) -> None:
    def failing(request: Request) -> Any:
        raise ConnectionError("database down at 10.0.0.1")

    with caplog.at_level(logging.ERROR, logger="stratagraph.graphql"):
        response = await _post(_app(failing), "{ fine }")
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error",
                "extensions": {
                    "code": "INTERNAL_SERVER_ERROR",
                    "requestId": response.headers["x-request-id"],
                },
            }
        ]
    }
    assert any(response.headers["x-request-id"] in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "query",
    [
        "{ fine(x: 1) }",
        "{ " * 2000,  # nesting that would blow the parser's recursion
        "query ($a: Int!) { fine }",
        "fragment A on Query { ...A } { ...A }",
        '{ picky(size: "1") }',
        "subscription { fine }",
    ],
)
async def test_bad_queries_never_500(query: str) -> None:
    for accept in (GRAPHQL_RESPONSE, "application/json"):
        response = await _post(_app(), query, accept)
        assert response.status_code in (200, 400), response.text
        for error in response.json()["errors"]:
            assert error["extensions"]["code"] != "INTERNAL_SERVER_ERROR"
