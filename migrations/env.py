"""Alembic environment: runs revisions on an async engine built from the same settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from migrations.runner import REVISION_AFTER
from service.core.database import engine_for_url
from service.core.models import Base
from service.core.settings import Settings, parse_database_url

target_metadata = Base.metadata

# Full-text structures the models cannot describe (SQLite's FTS5 table and its shadow tables,
# PostgreSQL's GIN expression index): made by migration 0004, left out of the drift check.
ENGINE_SPECIFIC_PREFIX = "search_fts"


def _include(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (name or "").startswith(ENGINE_SPECIFIC_PREFIX)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
        include_object=_include,
    )


def _run_on_connection(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
        # For the runner: reading it here needs no second migration context (which would
        # announce itself in the log again).
        context.config.attributes[REVISION_AFTER] = context.get_context().get_current_revision()


async def _run_online() -> None:
    url_text = context.config.get_main_option("sqlalchemy.url")
    url = parse_database_url(url_text) if url_text else Settings.from_env().database_url
    engine = engine_for_url(url)
    try:
        async with engine.begin() as async_connection:
            await async_connection.run_sync(_run_on_connection)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    url_text = context.config.get_main_option("sqlalchemy.url")
    url = parse_database_url(url_text) if url_text else Settings.from_env().database_url
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif (connection := context.config.attributes.get("connection")) is not None:
    # Called from inside the application (or a test) with a live connection.
    _run_on_connection(connection)
else:
    asyncio.run(_run_online())
