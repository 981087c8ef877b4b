"""Helpers for the HTTP tests: an app with chosen settings over the test's database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.applications import Starlette

from service.app import create_app
from service.core.settings import Settings
from tests.conftest import bound_sessions

GRAPHQL_RESPONSE = "application/graphql-response+json"


@asynccontextmanager
async def app_client(
    engine: AsyncEngine, db: AsyncConnection, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        Settings(database_url=engine.url, **settings), engine=engine, sessions=bound_sessions(db)
    )
    async with asgi_client(app) as client:
        yield client


@asynccontextmanager
async def asgi_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]
