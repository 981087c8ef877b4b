"""The production switch: STRATAGRAPH_INTROSPECTION=false hides the schema everywhere."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from service.core.settings import Settings
from tests.schema.http_support import GRAPHQL_RESPONSE, app_client, codes
from tests.service.web.test_pages import parse

INTROSPECTION = ["{ __schema { queryType { name } } }", '{ __type(name: "Plan") { name } }']


async def _post(client: httpx.AsyncClient, query: str) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query}, headers={"accept": GRAPHQL_RESPONSE}
    )


def test_the_switch_is_read_from_the_environment() -> None:
    url = "sqlite:///./x.db"
    off = {"STRATAGRAPH_DATABASE_URL": url, "STRATAGRAPH_INTROSPECTION": "false"}
    assert Settings.from_env(off).introspection is False
    assert Settings.from_env({"STRATAGRAPH_DATABASE_URL": url}).introspection is True


@pytest.mark.parametrize("query", INTROSPECTION)
async def test_introspection_is_refused_when_switched_off(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection, query: str
) -> None:
    async with app_client(seeded_engine, seeded_db, introspection=False) as client:
        response = await _post(client, query)
    assert response.status_code == 400
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection has been disabled" in response.json()["errors"][0]["message"]


async def test_typename_and_data_still_answer_when_switched_off(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> None:
    async with app_client(seeded_engine, seeded_db, introspection=False) as client:
        response = await _post(client, '{ __typename plan(slug: "msit-work-plan-2023") { slug } }')
    assert response.json() == {
        "data": {"__typename": "Query", "plan": {"slug": "msit-work-plan-2023"}}
    }


async def test_sdl_and_graphiql_are_gone_when_switched_off(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> None:
    async with app_client(seeded_engine, seeded_db, introspection=False, graphiql=True) as client:
        sdl = await client.get("/schema.graphql")
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert sdl.status_code == 404
    assert "graphiql" not in page.text.lower()
    assert page.status_code == 406  # no JSON type acceptable, and no page to offer


async def test_everything_is_there_by_default(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> None:
    async with app_client(seeded_engine, seeded_db) as client:
        answers = [await _post(client, query) for query in INTROSPECTION]
        sdl = await client.get("/schema.graphql")
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert all("errors" not in answer.json() for answer in answers)
    assert sdl.status_code == 200
    assert "type Query" in sdl.text
    assert "graphiql" in page.text.lower()


PAGES = ["/", "/tasks/DSK-I-1", "/laws/bill-of-digital-rights", "/tasks/NO-SUCH-TASK"]


def _api_links(html: str) -> set[str]:
    return {href for href in parse(html).hrefs if href in ("/graphql", "/schema.graphql")}


@pytest.mark.parametrize("path", PAGES)
async def test_pages_do_not_link_what_the_switch_turned_off(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection, path: str
) -> None:
    async with app_client(seeded_engine, seeded_db, introspection=False, graphiql=True) as client:
        page = await client.get(path)
    assert page.headers["content-type"].startswith("text/html")
    assert _api_links(page.text) == set()
    assert "graphiql" not in page.text.lower()


@pytest.mark.parametrize("path", PAGES)
async def test_pages_link_graphiql_and_the_schema_by_default(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection, path: str
) -> None:
    async with app_client(seeded_engine, seeded_db) as client:
        page = await client.get(path)
    expected = {"/graphql", "/schema.graphql"} if path == "/" else {"/graphql"}
    assert _api_links(page.text) == expected


async def test_pages_link_the_schema_but_not_graphiql_when_only_graphiql_is_off(
    seeded_engine: AsyncEngine, seeded_db: AsyncConnection
) -> None:
    async with app_client(seeded_engine, seeded_db, graphiql=False) as client:
        page = await client.get("/")
    assert _api_links(page.text) == {"/schema.graphql"}
