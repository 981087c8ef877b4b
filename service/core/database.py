"""Async engine and session factory for SQLite (embedded) and PostgreSQL (production).

The serving engine (``serving_engine``) bounds every wait on the database: connecting,
waiting for a pooled connection, each statement (PostgreSQL ``statement_timeout``, SQLite a
progress handler) and, on PostgreSQL, a client-side command timeout a little longer than the
statement timeout, for a server that does not answer at all. It never creates a missing
SQLite file: a database that disappeared is an outage, not a new empty one.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import socket
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState
from sqlalchemy.util import await_, greenlet_spawn

from service.core.decimals import stored_decimal_text
from service.core.errors import DatabaseUnavailableError
from service.core.settings import DEFAULT_DATABASE_POOL_SIZE, Settings
from service.core.snippet import snippet

# How much longer than a statement the client waits for the server to answer at all.
COMMAND_GRACE_S = 1.0


@dataclass(frozen=True)
class Timeouts:
    """Bounds on waiting for the database, in milliseconds."""

    statement_ms: int
    connect_ms: int


def create_engine(settings: Settings, **overrides: Any) -> AsyncEngine:
    """An engine for commands (migrate, seed, import, export): no time limits."""
    return engine_for_url(settings.database_url, echo=settings.sql_echo, **overrides)


def serving_timeouts(settings: Settings) -> Timeouts:
    return Timeouts(settings.statement_timeout_ms, settings.connect_timeout_ms)


def list_bounds_timeouts(settings: Settings) -> Timeouts:
    """The limits of the list bounds' read, the service's own (``internal_reads``)."""
    return Timeouts(settings.list_bounds_timeout_ms, settings.connect_timeout_ms)


def serving_engine(settings: Settings, **overrides: Any) -> AsyncEngine:
    """The engine of the running service: bounded waits, no new SQLite files, at most
    ``STRATAGRAPH_DATABASE_POOL_SIZE`` connections."""
    return engine_for_url(
        settings.database_url,
        timeouts=serving_timeouts(settings),
        pool_size=settings.database_pool_size,
        echo=settings.sql_echo,
        **overrides,
    )


def engine_for_url(
    url: URL,
    *,
    timeouts: Timeouts | None = None,
    pool_size: int = DEFAULT_DATABASE_POOL_SIZE,
    **options: Any,
) -> AsyncEngine:
    """An engine whose pool holds at most ``pool_size`` connections (no overflow beyond it:
    the bound is what a deployment sizes PostgreSQL's ``max_connections`` for)."""
    if url.get_backend_name() == "sqlite":
        if sqlite_path(url) is not None:  # an in-memory database has a single connection
            options.setdefault("pool_size", pool_size)
            options.setdefault("max_overflow", 0)
        if timeouts is not None:
            url = _existing_file_only(url)
            options.setdefault("pool_timeout", timeouts.connect_ms / 1000)
        options.setdefault("pool_reset_on_return", None)  # _configure_sqlite resets instead
        engine = create_async_engine(url, **options)
        _configure_sqlite(engine, timeouts)
        return engine
    if timeouts is not None:
        connect_args = dict(options.pop("connect_args", {}))
        connect_args.setdefault("timeout", timeouts.connect_ms / 1000)
        connect_args.setdefault("command_timeout", timeouts.statement_ms / 1000 + COMMAND_GRACE_S)
        server_settings = dict(connect_args.get("server_settings", {}))
        server_settings.setdefault("statement_timeout", str(timeouts.statement_ms))
        connect_args["server_settings"] = server_settings
        options["connect_args"] = connect_args
        options.setdefault("pool_timeout", timeouts.connect_ms / 1000)
    # No ping on checkout: it is a round trip per request. Connections are recycled before
    # servers or proxies drop idle ones, and the GraphQL reader retries a read whose pooled
    # connection turns out dead (service.queries.reader).
    options.setdefault("pool_recycle", 1800)
    options.setdefault("pool_size", pool_size)
    options.setdefault("max_overflow", 0)
    engine = create_async_engine(url, **options)
    event.listen(engine.sync_engine, "handle_error", _stuck_is_a_disconnect)
    return engine


def _stuck_is_a_disconnect(context: Any) -> None:
    """A connection asyncpg left mid-operation is as dead as a closed one, though asyncpg
    does not call it closed (SQLAlchemy's test): marked a disconnect, it is discarded with
    the pool's other old connections, and the reader retries on a new one."""
    if left_mid_operation(context.original_exception):
        context.is_disconnect = True


def base64url(text: str | None) -> str | None:
    """URL-safe base64 of UTF-8 text without padding (SQLite has no such function; the
    compiled GraphQL statements make global IDs and cursors with it)."""
    if text is None:
        return None
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def sqlite_path(url: URL) -> Path | None:
    """The file of an SQLite URL; None for an in-memory database."""
    database = url.database or ""
    if database in ("", ":memory:"):
        return None
    if database.startswith("file:"):
        database = database.removeprefix("file:").partition("?")[0]
    return Path(database)


def _existing_file_only(url: URL) -> URL:
    """Open the file read-write if it exists, never create it (``mode=rw``); a file this
    process may not write is opened read-only and immutable, and still serves reads (it must
    then hold all its data: a write-ahead log left beside it is not read)."""
    path = sqlite_path(url)
    if path is None:
        return url
    if not path.exists() or os.access(path, os.W_OK):
        query = {"mode": "rw"}
    else:
        # Read-only media: SQLite is told nothing changes the file, so it needs no lock and
        # no shared-memory file beside it (which a read-only folder could not hold).
        query = {"mode": "ro", "immutable": "1"}
    return url.set(database=f"file:{path}", query={**url.query, **query, "uri": "true"})


class _Deadline:
    """When the statement running on one SQLite connection must stop (monotonic seconds).

    Read by the progress handler in the driver's thread, set from the event loop's."""

    __slots__ = ("at", "limit")

    def __init__(self, limit: float) -> None:
        self.at = float("inf")
        self.limit = limit

    def exceeded(self) -> int:
        return 1 if time.monotonic() > self.at else 0

    def arm(self) -> None:
        self.at = time.monotonic() + self.limit

    def disarm(self) -> None:
        self.at = float("inf")

    def stop(self) -> None:
        """The caller stopped waiting (a request out of its time budget was cancelled), but
        the driver's thread is still running the statement: the progress handler stops it at
        its next look, instead of it running on to the statement timeout and holding up the
        connection's close."""
        self.at = float("-inf")


_DEADLINE = "stratagraph_deadline"
PROGRESS_STEPS = 10_000  # virtual-machine instructions between two looks at the clock


SQLITE_CACHE_KIB = 8192  # per pooled connection, filled only as pages are read


def add_sql_functions(connection: Any) -> None:
    """The service's SQL functions on an SQLite connection (sqlite3's, or SQLAlchemy's
    adapter of aiosqlite's): ``sg_base64url(text)``, ``sg_decimal_text(value, scale)``,
    ``sg_snippet(text, folded, query)``."""
    connection.create_function("sg_base64url", 1, base64url, deterministic=True)
    connection.create_function("sg_decimal_text", 2, stored_decimal_text, deterministic=True)
    connection.create_function("sg_snippet", 3, snippet, deterministic=True)


def _configure_sqlite(engine: AsyncEngine, timeouts: Timeouts | None = None) -> None:
    """Foreign keys on, WAL for concurrent readers, SQLAlchemy-managed BEGIN,
    ``sg_base64url(text)``, ``sg_decimal_text(value, scale)`` and
    ``sg_snippet(text, folded, query)``.

    pysqlite's own transaction handling defers BEGIN and ignores SAVEPOINT semantics, which
    breaks transactional DDL and nested transactions (SQLAlchemy's documented recipe).
    With ``timeouts``, a statement that runs longer than allowed is interrupted (SQLite
    reports "interrupted") and a pooled connection whose file disappeared is discarded.
    """
    path = sqlite_path(engine.url)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        add_sql_functions(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        # Each connection caches pages of its own (2 MiB by default): a summary of `large`
        # reads more than that, and read them again from the file on every request.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        if path is not None:
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            except sqlite3.OperationalError:
                pass  # a read-only file keeps the journal mode it has
        cursor.close()
        if timeouts is not None:
            deadline = record.info[_DEADLINE] = _Deadline(timeouts.statement_ms / 1000)
            dbapi_connection.run_async(
                lambda driver: driver.set_progress_handler(deadline.exceeded, PROGRESS_STEPS)
            )

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
        # The pool's own reset rolls back every connection it gets back, and aiosqlite hands
        # each call to the connection's thread and waits for it: most connections come back
        # from statements outside any transaction, with nothing to roll back.
        needed = state.asyncio_safe and not state.transaction_was_reset
        if needed and dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()

    if timeouts is None:
        return

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _arm(connection: Any, *_args: Any) -> None:
        deadline = connection.connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline.arm()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _disarm(connection: Any, *_args: Any) -> None:
        deadline = connection.connection.info.get(_DEADLINE)
        if deadline is not None:
            deadline.disarm()

    @event.listens_for(engine.sync_engine, "handle_error")
    def _disarm_on_error(context: Any) -> None:
        connection = context.connection
        deadline = connection.connection.info.get(_DEADLINE) if connection is not None else None
        if deadline is None:
            return
        if isinstance(context.original_exception, Exception):
            deadline.disarm()
        else:
            deadline.stop()

    if path is not None:

        @event.listens_for(engine.sync_engine, "checkout")
        def _file_still_there(_dbapi: Any, _record: Any, _proxy: Any) -> None:
            # An open connection keeps reading a deleted file; the pool reconnects instead,
            # which fails (mode=rw) and so reports the outage.
            if not path.exists():
                raise DisconnectionError(f"the SQLite file {path} no longer exists")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def translate_connection_errors(url: URL) -> AsyncIterator[None]:
    """Turn driver-level connection failures into one line that names the database."""
    try:
        yield
    except (OperationalError, InterfaceError, OSError, socket.gaierror) as exc:
        raise DatabaseUnavailableError(describe_failure(url, exc)) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated or _refused_login(exc):
            raise DatabaseUnavailableError(describe_failure(url, exc)) from exc
        raise


def _refused_login(exc: DBAPIError) -> bool:
    """PostgreSQL refused the session: no such database (3D000) or role, bad password (28…)."""
    state = str(getattr(exc.orig, "sqlstate", None) or "")
    return state == "3D000" or state.startswith("28")


def describe_failure(url: URL, exc: BaseException) -> str:
    where = url.render_as_string(hide_password=True)
    reason = getattr(exc, "orig", None) or exc
    detail = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return f"STRATAGRAPH_DATABASE_URL: cannot use the database at {where}: {detail}"


async def ping(
    sessions: async_sessionmaker[AsyncSession], url: URL, timeout_s: float | None = None
) -> None:
    """One round trip to the database; raises ``DatabaseUnavailableError`` when it fails or
    takes longer than ``timeout_s``. A late round trip is abandoned, not waited for: its
    cleanup (returning the connection) finishes in the background."""
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    if path is not None and not path.exists():
        raise DatabaseUnavailableError(f"the SQLite file {path} does not exist")
    task = asyncio.ensure_future(_round_trip(sessions, url))
    await _wait_charging_the_database(task, timeout_s)
    if not task.done():
        task.cancel()
        _abandoned.add(task)
        task.add_done_callback(_forget)
        raise DatabaseUnavailableError(f"the database did not answer within {timeout_s:g} s")
    task.result()


_SLICE_S = 0.1


async def _wait_charging_the_database(task: asyncio.Future[None], timeout_s: float | None) -> None:
    """Wait for ``task`` up to ``timeout_s`` of the database's time: a slice in which the
    event loop itself was busy elsewhere (a large answer being built) counts as one slice at
    most, so a slow loop is not reported as a database that does not answer."""
    if timeout_s is None:
        await asyncio.wait({task})
        return
    loop = asyncio.get_running_loop()
    left = timeout_s
    while left > 0 and not task.done():
        started = loop.time()
        await asyncio.wait({task}, timeout=min(_SLICE_S, left))
        left -= min(loop.time() - started, 2 * _SLICE_S)


_abandoned: set[asyncio.Future[None]] = set()  # kept referenced until they finish


def _forget(task: asyncio.Future[None]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: it was already reported as an outage


async def _round_trip(sessions: async_sessionmaker[AsyncSession], url: URL) -> None:
    async with translate_connection_errors(url), sessions() as session:
        try:
            await session.execute(text("SELECT 1"))
        except BaseException:
            # A connection that failed or was abandoned is dropped, not handed back to the
            # pool (which would first wait for a server that may not answer).
            await session.invalidate()
            raise


T = TypeVar("T")
Work = Callable[[Any], Awaitable[T]]


async def on_pooled_driver(engine: AsyncEngine, work: Work[T]) -> T:
    """``work(driver)`` on a pooled connection's own driver connection (asyncpg's or
    aiosqlite's), for a statement that needs none of SQLAlchemy's execution around it. A
    connection that fails in any way is discarded; otherwise it goes back to the pool
    afterwards. SQLite's statement timeout is armed meanwhile (SQLAlchemy's events, which arm
    it, see no driver statement).

    The checkout, the work and the return run in one of SQLAlchemy's greenlets (the pool is
    synchronous, and returning a connection may roll back through the driver): one greenlet
    instead of one each for the checkout and the return halves what the pool costs a request
    (23 against 40 µs on PostgreSQL).
    """
    return await greenlet_spawn(_on_pooled_driver, engine.sync_engine, work)


def _on_pooled_driver(engine: Engine, work: Work[T]) -> T:
    raw = engine.raw_connection()
    deadline: _Deadline | None = raw.info.get(_DEADLINE)
    if deadline is not None:
        deadline.arm()
    try:
        return await_(work(raw.driver_connection))
    except BaseException as error:
        if deadline is not None and not isinstance(error, Exception):
            deadline.stop()
        raw.invalidate()
        raise
    finally:
        if deadline is not None and deadline.at != float("-inf"):
            deadline.disarm()
        raw.close()


def timed_out(error: BaseException) -> bool:
    """Whether the client gave up waiting (a server that does not answer: asking it again
    would double the wait)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def first_line(error: BaseException) -> str:
    """The error in one short line (drivers' messages can hold whole SQL statements)."""
    text = str(getattr(error, "orig", None) or error).strip()
    line = text.splitlines()[0][:200] if text else ""
    return f"{type(error).__name__}: {line}" if line else type(error).__name__


Failure = Literal["unavailable", "statement_timeout"]
# SQLSTATE classes and codes of a server that is going away, starting or out of connections.
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300", "53000")
_SQLITE_UNAVAILABLE = ("unable to open database file", "disk i/o error", "database is locked")


def failure_kind(exc: BaseException) -> Failure | None:
    """Whether ``exc`` (or what caused it) means the database is unavailable or a statement
    ran out of time; None for every other error (a bug, a constraint, bad SQL)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = _own_failure_kind(current)
        if kind is not None:
            return kind
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None


def _own_failure_kind(exc: BaseException) -> Failure | None:
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        if message == "interrupted":
            return "statement_timeout"
        return "unavailable" if message.startswith(_SQLITE_UNAVAILABLE) else None
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str):
        if state == "57014":  # query_canceled: statement_timeout
            return "statement_timeout"
        return "unavailable" if state.startswith(_UNAVAILABLE_STATES) else None
    if isinstance(exc, DatabaseUnavailableError | PoolTimeoutError | TimeoutError | OSError):
        return "unavailable"
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return "unavailable"
    if type(exc).__module__.startswith("asyncpg"):
        if type(exc).__name__ in ("ConnectionDoesNotExistError", "ConnectionFailureError"):
            return "unavailable"
        if "connection is closed" in str(exc) or left_mid_operation(exc):
            return "unavailable"
    return None


# asyncpg's words for a connection whose protocol is stuck in another operation: "another
# operation is in progress", or "cannot switch to state 11; another operation (2) is in
# progress" (an InternalClientError).
_MID_OPERATION = re.compile(r"another operation( \(\d+\))? is in progress")


def left_mid_operation(exc: BaseException) -> bool:
    """Whether an asyncpg connection was left unusable in the middle of an operation: by a
    cancel, or by a server that is terminating it (its FATAL error arrives while the
    connection is idle, and asyncpg waits for a sync that never comes; the socket's close is
    seen only later)."""
    return type(exc).__module__.startswith("asyncpg") and bool(_MID_OPERATION.search(str(exc)))
