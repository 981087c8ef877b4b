"""GraphiQL comes with the service: in Chromium, with every request to another host blocked,
it loads, runs a query and breaks no rule of the Content-Security-Policy."""

from __future__ import annotations

import json

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from tests.schema.http_support import app_client
from tests.support.browser import chromium_or_skip, database_url, live_server
from tests.support.feed_data import PLAN_TITLE
from tests.support.node import JS_DIR, run_node

__all__ = ["database_url", "live_server"]  # fixtures


def test_graphiql_runs_a_query_offline_in_chromium(live_server: str) -> None:
    chromium_or_skip()
    result = run_node(JS_DIR / "drive_graphiql.mjs", live_server, timeout=150)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["status"] == 200
    assert seen["blocked"] == []  # nothing even tried to leave the machine
    assert "/graphiql/graphiql.min.js" in seen["requested"]
    assert seen["errors"] == []
    assert seen["violations"] == []
    assert "script-src 'self'" in seen["csp"]
    assert seen["schemaLink"] == "/schema.graphql"
    plans = seen["result"]["data"]["plans"]
    assert PLAN_TITLE in {plan["title"] for plan in plans}


async def test_graphiql_page_and_assets_are_local(client: httpx.AsyncClient) -> None:
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    for asset in ("react.production.min.js", "graphiql.min.js", "graphiql.LICENSE.txt"):
        response = await client.get(f"/graphiql/{asset}")
        assert response.status_code == 200, asset


async def test_graphiql_off_serves_no_page_and_no_assets(
    engine: AsyncEngine, db: AsyncConnection
) -> None:
    async with app_client(engine, db, graphiql=False) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        asset = await client.get("/graphiql/graphiql.min.js")
    assert page.status_code == 406
    assert asset.status_code == 404
