"""``/graphql`` and ``/schema.graphql`` over real HTTP: methods, negotiation, status codes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schema.build import build_schema
from schema.http import negotiate
from tests.schema.fixtures import insert_small_dataset
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client, codes

PLANS = "{ plans { slug title } }"
COMMITTED_SDL = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


async def test_post_json_returns_data(client: httpx.AsyncClient, db: AsyncConnection) -> None:
    await insert_small_dataset(db)
    response = await client.post("/graphql", json={"query": PLANS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert [p["slug"] for p in response.json()["data"]["plans"]] == ["plan-a", "plan-b"]
    assert "errors" not in response.json()
    assert response.headers["x-request-id"]


async def test_get_with_variables_and_operation_name(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_small_dataset(db)
    query = "query One($slug: String!) { plan(slug: $slug) { title } } query Other { __typename }"
    response = await client.get(
        "/graphql",
        params={
            "query": query,
            "variables": json.dumps({"slug": "plan-b"}),
            "operationName": "One",
        },
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json() == {"data": {"plan": {"title": "Plan B"}}}


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        (f"{GRAPHQL_RESPONSE};q=0, application/json", "application/json"),
        ("text/html", None),
        ("application/xml", None),
    ],
)
def test_negotiate(accept: str | None, media: str | None) -> None:
    assert negotiate(accept) == media


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "application/xml"}
    )
    assert response.status_code == 406
    assert codes(response) == ["NOT_ACCEPTABLE"]


@pytest.mark.parametrize(
    ("content_type", "status"),
    [(None, 415), ("text/plain", 415), ("application/json; charset=latin-1", 415)],
)
async def test_post_content_type_must_be_json(
    client: httpx.AsyncClient, content_type: str | None, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    assert response.status_code == status
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "no body"),
        (b'{"query": ', "not valid JSON"),
        (b"[1]", "JSON object"),
        (b'{"query": 1}', "query must be a string"),
        (b'{"query": "{ __typename }", "variables": "x"}', "variables must be a JSON object"),
        (b'{"query": "{ __typename }", "extensions": []}', "extensions must be a JSON object"),
        (b'{"qeury": "{ __typename }"}', "unknown parameters: qeury"),
    ],
)
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_malformed_requests_are_400_whatever_is_accepted(
    client: httpx.AsyncClient, body: bytes, message: str, accept: str
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]
    assert codes(response) == ["BAD_REQUEST"]
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ plans { slug ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ plans { nope } }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query ($s: String!) { plan(slug: $s) { title } }", {"s": None}, "BAD_USER_INPUT"),
        ("query A { __typename } query B { __typename }", None, "OPERATION_RESOLUTION_FAILURE"),
    ],
)
async def test_request_errors_status_depends_on_media_type(
    client: httpx.AsyncClient, query: str, variables: dict[str, None] | None, code: str
) -> None:
    body = {"query": query, "variables": variables}
    strict = await client.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE})
    legacy = await client.post("/graphql", json=body, headers={"accept": "application/json"})
    assert (strict.status_code, legacy.status_code) == (400, 200)
    for response in (strict, legacy):
        assert codes(response) == [code]
        assert "data" not in response.json()


async def test_mutation_over_get_is_405(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "mutation { x }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "use POST" in response.json()["errors"][0]["message"]


async def test_get_without_query_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "application/json"})
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


async def test_other_methods_are_405(client: httpx.AsyncClient) -> None:
    response = await client.put("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405


async def test_graphiql_for_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_can_be_switched_off(engine: AsyncEngine, db: AsyncConnection) -> None:
    async with app_client(engine, db, graphiql=False) as client:
        response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 406


async def test_browser_get_with_query_gets_json(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "{ __typename }"},
        headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_request_id_is_echoed_when_sane(client: httpx.AsyncClient) -> None:
    given = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "abc-123"}
    )
    assert given.headers["x-request-id"] == "abc-123"
    odd = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "a b\tc"}
    )
    assert odd.headers["x-request-id"] != "a b\tc"
    assert len(odd.headers["x-request-id"]) == 32


async def test_utf8_round_trip(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        content='{"query": "{ __type(name: \\"Run🏃\\") { name } }"}'.encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}


async def test_sdl_route_serves_the_committed_schema(client: httpx.AsyncClient) -> None:
    response = await client.get("/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.rstrip("\n") == build_schema().as_str().rstrip("\n")
    if COMMITTED_SDL.exists():
        assert response.text == COMMITTED_SDL.read_text(encoding="utf-8")
