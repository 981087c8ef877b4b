"""Cost limits over HTTP (each with its error), and the node count computed GitHub's way."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import strawberry
from graphql import OperationDefinitionNode, parse
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.core_schema import core_schema
from schema.limits import count_nodes
from service.core.list_bounds import ListBounds
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client


def _limit_error(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    return error  # type: ignore[no-any-return]


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables or None},
        headers={"accept": GRAPHQL_RESPONSE},
    )


async def test_depth_limit(engine: AsyncEngine, db: AsyncConnection) -> None:
    async with app_client(engine, db, graphql_limits={"max_depth": 4}) as client:
        ok = await _post(client, "{ plans { strategies { nodes { code } } } }")
        deep = await _post(
            client, "query Deep { plans { strategies { nodes { plan { slug } } } } }"
        )
    assert ok.status_code == 200, ok.text
    error = _limit_error(deep)
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "depth",
        "maximum": 4,
        "actual": 5,
    }
    assert "Operation Deep is nested 5 fields deep; the limit is 4" in error["message"]


async def test_depth_counts_fragments_and_skips_introspection(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    query = """
        { plans { ...P } __schema { types { fields { type { ofType { ofType { name } } } } } } }
        fragment P on Plan { strategies { nodes { plan { slug } } } }
    """
    async with app_client(engine, db, graphql_limits={"max_depth": 4}) as client:
        error = _limit_error(await _post(client, query))
    assert error["extensions"]["actual"] == 5


async def test_alias_limit(engine: AsyncEngine, db: AsyncConnection) -> None:
    many = "{ " + " ".join(f"a{i}: __typename" for i in range(4)) + " }"
    async with app_client(engine, db, graphql_limits={"max_aliases": 3}) as client:
        error = _limit_error(await _post(client, many))
    assert error["extensions"]["limit"] == "aliases"
    assert "4 aliases; the limit is 3" in error["message"]


async def test_token_limit(engine: AsyncEngine, db: AsyncConnection) -> None:
    long = "{ " + " ".join(["__typename"] * 50) + " }"
    async with app_client(engine, db, graphql_limits={"max_tokens": 20}) as client:
        error = _limit_error(await _post(client, long))
    assert error["extensions"]["limit"] == "tokens"
    assert "more than 20 tokens" in error["message"]


async def test_node_limit_uses_first_and_variables(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    query = "query ($n: Int) { strategies(first: $n) { nodes { code } } }"
    async with app_client(engine, db, graphql_limits={"max_nodes": 10}) as client:
        small = await _post(client, query, n=10)
        large = await _post(client, query, n=11)
        default = await _post(client, "{ strategies { nodes { code } } }")
    assert small.status_code == 200, small.text
    error = _limit_error(large)
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "nodes",
        "maximum": 10,
        "actual": 11,
    }
    assert "up to 11 nodes; the limit is 10" in error["message"]
    # No first/last: the default page size (100) counts.
    assert _limit_error(default)["extensions"]["actual"] == 100


async def test_limit_errors_are_200_for_plain_json_clients(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    async with app_client(engine, db, graphql_limits={"max_nodes": 10}) as client:
        response = await client.post(
            "/graphql", json={"query": "{ strategies { nodes { code } } }"}
        )
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


@pytest.mark.parametrize("declared", [True, False])
async def test_body_size_limit_is_413(
    engine: AsyncEngine, db: AsyncConnection, declared: bool
) -> None:
    body = b'{"query": "{ __typename }", "variables": {"pad": "' + b"x" * 300 + b'"}}'

    async def chunks() -> Any:
        yield body

    async with app_client(engine, db, graphql_limits={"max_body_bytes": 200}) as client:
        response = await client.post(
            "/graphql",
            content=body if declared else chunks(),
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 413
    assert response.json()["errors"][0] == {
        "message": "The request body is larger than 200 bytes; "
        "send a smaller query or fewer variables",
        "extensions": {"code": "PAYLOAD_TOO_LARGE"},
    }


# --- the count itself, on a small schema with nested connections --------------------------


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def children(self, first: int | None = None, last: int | None = None) -> list[Item]:
        return []

    @strawberry.field
    def paged(self, first: int | None = 5) -> list[Item]:
        return []


@strawberry.type
class Query:
    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> list[Item]:
        return []

    @strawberry.field
    def item(self) -> Item:
        return Item(name="x")


SMALL = strawberry.Schema(Query)


def _count(query: str, variables: dict[str, Any] | None = None) -> tuple[int, bool]:
    document = parse(query)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = operations[0]
    count = count_nodes(
        core_schema(SMALL),
        document,
        operation,
        variables,
        default_page_size=100,
        bounds=ListBounds({}),
    )
    return count.total, count.uses_variables


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ("{ items(first: 50) { name } }", None, (50, False)),
        # GitHub's example: 50 + 50 * 10
        ("{ items(first: 50) { children(first: 10) { name } } }", None, (550, False)),
        (
            "{ items(last: 3) { children(first: 2) { children(last: 4) { name } } } }",
            None,
            (3 + 3 * (2 + 2 * 4), False),
        ),
        ("{ item { children { name } } }", None, (100, False)),  # no first/last: default
        ("{ item { paged { name } } }", None, (5, False)),  # the argument's own default
        ("query ($n: Int = 7) { items(first: $n) { name } }", None, (7, True)),
        ("query ($n: Int) { items(first: $n) { name } }", {"n": 9}, (9, True)),
        ("{ a: items(first: 2) { name } b: items(first: 3) { name } }", None, (5, False)),
        (
            "{ items(first: 10) { ...F } } fragment F on Item { children(first: 2) { name } }",
            None,
            (30, False),
        ),
        ("{ items(first: 4) { ... on Item { children(first: 5) { name } } } }", None, (24, False)),
        ("{ __schema { types { name } } }", None, (0, False)),
    ],
)
def test_count_nodes(
    query: str, variables: dict[str, Any] | None, expected: tuple[int, bool]
) -> None:
    assert _count(query, variables) == expected
