"""What every response carries and how it travels: security headers, compression with
validators that still work, a favicon, and absolute links only from trusted hosts."""

from __future__ import annotations

import gzip
import struct

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.app import create_app
from service.core.settings import Settings
from tests.conftest import bound_sessions
from tests.support.feed_data import insert_feed_dataset
from tests.support.ics import parse_python

FEED = "/calendars/milestones.ics"
GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("GET", "/", {}),
        ("GET", "/graphql", {"headers": {"Accept": "text/html"}}),
        ("POST", "/graphql", {"json": {"query": "{ __typename }"}}),
        ("GET", "/graphql", {"params": {"query": "{"}}),
        ("GET", "/healthz", {}),
        ("GET", "/exports/json", {}),
        ("GET", "/exports/nope", {}),
        ("GET", FEED, {"params": {"from": "someday"}}),
        ("GET", "/schema.graphql", {}),
        ("GET", "/favicon.ico", {}),
        ("GET", "/no/such/page", {}),
    ],
)
async def test_every_response_has_the_security_headers(
    client: httpx.AsyncClient, method: str, path: str, kwargs: dict[str, object]
) -> None:
    response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


async def test_an_unhandled_error_is_a_500_with_the_security_headers(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    app = create_app(Settings(database_url=engine.url), engine=engine, sessions=bound_sessions(db))

    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug with a secret in its message")

    app.router.routes.append(Route("/broken", broken))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {"error": "internal server error; it has been logged"}
    assert "secret" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/", {}),
        (FEED, {}),
        ("/exports/json", {}),
        ("/schema.graphql", {}),
        ("/graphql", {"params": {"query": "{ __schema { types { name description } } }"}}),
    ],
)
async def test_text_responses_are_gzip_compressed(
    client: httpx.AsyncClient, db: AsyncConnection, path: str, kwargs: dict[str, object]
) -> None:
    await insert_feed_dataset(db)
    plain = await client.get(path, headers=IDENTITY, **kwargs)  # type: ignore[arg-type]
    packed = await client.get(path, headers=GZIP, **kwargs)  # type: ignore[arg-type]
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.content == plain.content  # httpx decoded it


async def test_graphql_post_answers_are_compressed(client: httpx.AsyncClient) -> None:
    query = {"query": "{ __schema { types { name description } } }"}
    response = await client.post("/graphql", json=query, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["data"]["__schema"]["types"]


async def test_compressed_feed_revalidates_with_a_weak_etag(
    client: httpx.AsyncClient, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    plain = await client.get(FEED, headers=IDENTITY)
    packed = await client.get(FEED, headers=GZIP)
    strong = plain.headers["etag"]
    assert strong.startswith('"')
    assert packed.headers["etag"] == f"W/{strong}"  # another representation of the same data
    again = await client.get(FEED, headers={**GZIP, "If-None-Match": packed.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["etag"] == packed.headers["etag"]
    assert (await client.get(FEED, headers={**IDENTITY, "If-None-Match": strong})).status_code == (
        304
    )


async def test_workbooks_are_not_compressed_twice(client: httpx.AsyncClient) -> None:
    response = await client.get("/exports/xlsx", headers=GZIP)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.content[:2] == b"PK"


async def test_raw_gzip_bytes_are_gzip(engine: AsyncEngine, db: AsyncConnection) -> None:
    """Read the bytes on the wire, not httpx's decoding of them."""
    await insert_feed_dataset(db)
    app = create_app(
        Settings(database_url=engine.url, allowed_hosts=("testserver",)),
        engine=engine,
        sessions=bound_sessions(db),
    )
    async with (
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client,
        client.stream("GET", FEED, headers=GZIP) as response,
    ):
        wire = b"".join([chunk async for chunk in response.aiter_raw()])
    assert gzip.decompress(wire).startswith(b"BEGIN:VCALENDAR")


async def test_favicon(client: httpx.AsyncClient) -> None:
    response = await client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    reserved, kind, count = struct.unpack("<HHH", response.content[:6])
    assert (reserved, kind, count) == (0, 1, 1)  # an ICO directory holding one image
    svg = await client.get("/assets/favicon.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")


def _app_client(engine: AsyncEngine, db: AsyncConnection, **settings: object) -> httpx.AsyncClient:
    app = create_app(
        Settings(database_url=engine.url, **settings),  # type: ignore[arg-type]
        engine=engine,
        sessions=bound_sessions(db),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_an_arbitrary_host_header_is_never_written_into_links(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    async with _app_client(engine, db) as client:  # default allowed hosts: local names only
        evil = {"Host": "evil.example"}
        page = await client.get("/", headers=evil)
        feed = await client.get(FEED, headers=evil)
    assert page.status_code == feed.status_code == 200
    assert "evil.example" not in page.text
    assert "evil.example" not in feed.text
    assert all("URL" not in event for event in parse_python(feed.content).walk("VEVENT"))
    assert 'href="/calendars/milestones.ics"' in page.text  # still a working relative link


async def test_local_and_listed_hosts_get_links_in_their_own_scheme(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    await insert_feed_dataset(db)
    async with _app_client(engine, db, allowed_hosts=("localhost", "*.example.org")) as client:
        local = await client.get("http://localhost:8000/")
        listed = await client.get("https://data.example.org/")
        listed_feed = await client.get(f"https://data.example.org{FEED}")
        other = await client.get("https://example.com/")
    assert "webcal://localhost:8000/calendars/milestones.ics" in local.text
    assert "http://localhost:8000/calendars/milestones.ics" in local.text
    assert "https://data.example.org/calendars/milestones.ics" in listed.text
    assert "https://data.example.org/tasks/" in listed_feed.text
    assert "example.com" not in other.text


async def test_the_public_url_wins_over_any_host(engine: AsyncEngine, db: AsyncConnection) -> None:
    await insert_feed_dataset(db)
    async with _app_client(engine, db, public_url="https://policy.example.org") as client:
        page = await client.get("http://localhost/")
    assert "webcal://policy.example.org/calendars/milestones.ics" in page.text
    assert "localhost" not in page.text
