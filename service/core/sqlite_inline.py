"""Short SQLite reads run on the event loop's own thread; longer ones go to the pool.

A compiled lookup takes SQLite some tens of microseconds. Handing it to an aiosqlite
connection's thread and back costs more: a queue, a wake-up of each thread, the GIL passed
twice. Under load those hand-offs held the event loop's thread at 0.39 ms of CPU per lookup, a
third of it in the kernel, and capped a worker at about 2,000 lookups a second. So a compiled
statement first runs here, on one read-only connection per engine and thread, within
``INLINE_BUDGET_S``: SQLite's progress handler stops it once the budget is spent, and the
caller runs it on a pooled connection as before. The loop is held no longer than the budget,
and a statement that needs more costs at most the budget twice.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from typing import Any, Final
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncEngine

from service.core.database import SQLITE_CACHE_KIB, add_sql_functions, sqlite_path

INLINE_BUDGET_S: Final = 0.0005
_PROGRESS_STEPS: Final = 1000  # virtual-machine instructions between two looks at the clock


class NotRun:
    """The statement did not finish inline (over budget, or any error): run it on the pool,
    which reports errors and outages as it always has."""


NOT_RUN: Final = NotRun()


class _Inline:
    __slots__ = ("connection", "path", "stop_at", "thread")

    def __init__(self, connection: sqlite3.Connection, path: Any) -> None:
        self.connection = connection
        self.path = path
        self.thread = threading.get_ident()
        self.stop_at = 0.0
        connection.set_progress_handler(self._over_budget, _PROGRESS_STEPS)

    def _over_budget(self) -> int:
        return 1 if time.monotonic() > self.stop_at else 0


# Per pool: an engine's dispose() replaces its pool, and the old pool's connection goes with it.
_inline: weakref.WeakKeyDictionary[Any, _Inline] = weakref.WeakKeyDictionary()


def inline_row(
    engine: AsyncEngine, sql: str, params: tuple[Any, ...]
) -> tuple[Any, ...] | NotRun | None:
    """The first row of ``sql`` if SQLite finishes it within the budget here; ``NOT_RUN``
    otherwise (also for an in-memory database, whose connections each hold their own)."""
    inline = _connection_for(engine)
    if inline is None:
        return NOT_RUN
    if not inline.path.exists():  # a deleted file still reads; the pool reports the outage
        _drop(engine)
        return NOT_RUN
    inline.stop_at = time.monotonic() + INLINE_BUDGET_S
    try:
        rows = inline.connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if str(error) != "interrupted":
            _drop(engine)
        return NOT_RUN
    except sqlite3.Error:
        _drop(engine)
        return NOT_RUN
    return tuple(rows[0]) if rows else None


def _connection_for(engine: AsyncEngine) -> _Inline | None:
    pool = engine.sync_engine.pool
    inline = _inline.get(pool)
    if inline is not None:
        return inline if inline.thread == threading.get_ident() else None
    path = sqlite_path(engine.url)
    if path is None:
        return None
    query = urlencode({key: value for key, value in engine.url.query.items() if key != "uri"})
    try:
        connection = sqlite3.connect(f"file:{path}?{query}", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        add_sql_functions(connection)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA busy_timeout = 0")  # never wait on the loop's thread
        connection.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    except sqlite3.Error:
        connection.close()
        return None
    inline = _inline[pool] = _Inline(connection, path)
    return inline


def _drop(engine: AsyncEngine) -> None:
    inline = _inline.pop(engine.sync_engine.pool, None)
    if inline is not None:
        inline.connection.close()
