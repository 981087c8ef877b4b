"""Composition root of the HTTP service: builds the Starlette app from settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from exporters.registry import load_registry
from schema.build import build_schema
from schema.cache import ResponseCache
from schema.context import make_context
from schema.graphiql import ASSET_DIRECTORY, ASSET_PATH
from schema.http import GraphQLEndpoint, schema_sdl_endpoint
from schema.limits import Limits
from schema.operation import Operations
from schema.persisted import PersistedDocuments
from service.core.bounds_by_version import BoundsByVersion
from service.core.data_version import VersionProbe
from service.core.database import first_line, list_bounds_timeouts, serving_timeouts
from service.core.internal_reads import InternalReads
from service.core.list_bounds import read_list_bounds
from service.core.settings import Settings
from service.web.calendars import milestones_feed
from service.web.exports import export, json_schema, list_exports
from service.web.favicon import favicon
from service.web.health import healthz
from service.web.pages import home, law_page, task_page
from service.web.response_manners import ResponseManners
from service.web.runtime import Runtime
from service.web.security_headers import server_error

logger = logging.getLogger("stratagraph.app")


def create_app(
    settings: Settings | None = None,
    *,
    engine: AsyncEngine | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
) -> Starlette:
    """Build the app. An ``engine`` passed in is borrowed: the caller disposes of it.

    ``sessions`` overrides the session factory (tests bind it to a rolled-back transaction).
    """
    settings = settings or Settings.from_env()
    runtime = Runtime.start(settings, engine, sessions)
    owns_engine = engine is None
    # The data version is read through the sessions' bind, so tests see their own writes.
    probe = VersionProbe.for_bind(runtime.sessions.kw.get("bind"), serving_timeouts(settings))
    internal = InternalReads(runtime.sessions, list_bounds_timeouts(settings))
    bounds = BoundsByVersion(lambda: internal.run(read_list_bounds))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if runtime.export_workers is not None:
            runtime.export_workers.keep_a_spare()
        # An app given sessions bound to one connection (a test's) reads them on demand: the
        # connection could not serve the read and a request at once.
        ahead = isinstance(runtime.sessions.kw.get("bind"), AsyncEngine)
        warming = asyncio.create_task(_read_bounds_ahead(probe, bounds)) if ahead else None
        try:
            yield
        finally:
            if warming is not None:
                warming.cancel()
                await asyncio.gather(warming, return_exceptions=True)
            await bounds.close()
            await internal.close()
            if runtime.export_workers is not None:
                await runtime.export_workers.stop_all()
            await probe.close()
            if owns_engine:
                await runtime.engine.dispose()

    app = Starlette(
        routes=_routes(runtime, probe, bounds),
        middleware=_middleware(settings),
        exception_handlers={Exception: server_error},
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.exporters = load_registry()
    return app


async def _read_bounds_ahead(probe: VersionProbe, bounds: BoundsByVersion) -> None:
    """Read the list bounds at start-up, so that the first request does not wait for them.
    A failure is only logged: the first request reads them again (and reports it)."""
    try:
        await bounds.get(await probe.read())
    except Exception as error:
        logger.warning("Could not read the list bounds at start-up: %s", first_line(error))


def create_app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory`` (each worker builds its own app and engine)."""
    return create_app()


def _routes(runtime: Runtime, probe: VersionProbe, bounds: BoundsByVersion) -> list[BaseRoute]:
    schema = build_schema()  # once per process: types, caches and limits are shared
    routes: list[BaseRoute] = [
        # First: the router tries routes in order, and /graphql is the one asked most.
        Route(
            "/graphql", _graphql_endpoint(runtime, schema, probe, bounds), methods=["GET", "POST"]
        ),
        Route("/", home, methods=["GET", "HEAD"], name="home"),
        Route("/tasks/{code}", task_page, methods=["GET", "HEAD"], name="task"),
        Route("/laws/{slug}", law_page, methods=["GET", "HEAD"], name="law"),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/favicon.ico", favicon, methods=["GET", "HEAD"]),
        Mount("/assets", StaticFiles(packages=[("service.web", "assets")]), name="assets"),
        Route("/exports", list_exports, methods=["GET"], name="exports"),
        Route("/exports/json/schema", json_schema, methods=["GET"], name="json_schema"),
        Route("/exports/{format}", export, methods=["GET", "HEAD"], name="export"),
        Route(
            "/calendars/milestones.ics",
            milestones_feed,
            methods=["GET", "HEAD"],
            name="milestones_feed",
        ),
    ]
    if runtime.settings.introspection:
        routes.append(
            Route("/schema.graphql", schema_sdl_endpoint(schema.as_str()), methods=["GET", "HEAD"])
        )
    if runtime.settings.graphiql:
        routes.append(Mount(ASSET_PATH, StaticFiles(directory=ASSET_DIRECTORY), name="graphiql"))
    return routes


def _graphql_endpoint(
    runtime: Runtime, schema: strawberry.Schema, probe: VersionProbe, bounds: BoundsByVersion
) -> GraphQLEndpoint:
    settings = runtime.settings
    sessions = runtime.sessions
    limits = Limits(
        **settings.graphql_limits,
        statement_timeout_ms=settings.statement_timeout_ms,
        list_bounds_timeout_ms=settings.list_bounds_timeout_ms,
        request_timeout_ms=settings.request_timeout_ms,
        introspection=settings.introspection,
    )
    return GraphQLEndpoint(
        Operations(schema, limits),
        lambda request: make_context(sessions, request),
        PersistedDocuments.load(only=settings.graphql_persisted_only),
        graphiql=settings.graphiql and settings.introspection,
        cache=ResponseCache(settings.graphql_cache_bytes),
        data_version=probe.read,
        list_bounds=bounds.get,
    )


def _middleware(settings: Settings) -> list[Middleware]:
    middleware = [Middleware(ResponseManners)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Content-Type", "Authorization", "If-None-Match", "X-Request-ID"],
                expose_headers=["ETag", "Content-Disposition", "X-Request-ID"],
                max_age=600,
            )
        )
    return middleware
