"""Answers for a database that is down, and reads that start only once it answers.

An outage is a 503 with ``Retry-After`` before any byte of a body, never a 500 or a download
cut short. A connection the pool handed out may be dead (the server restarted): the first
statement of a download is retried once on a fresh connection before anything is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.responses import JSONResponse

from service.core.database import failure_kind, first_line
from service.core.dataset_reader import DatasetReader

logger = logging.getLogger(__name__)

RETRY_AFTER_S = "5"


def unavailable_response(
    reason: str = "the database is unavailable; retry shortly",
) -> JSONResponse:
    return JSONResponse(
        {"error": reason},
        status_code=503,
        headers={"Retry-After": RETRY_AFTER_S, "Cache-Control": "no-store"},
    )


def busy_response(limit: int) -> JSONResponse:
    return JSONResponse(
        {
            "error": f"this worker is already building {limit} exports "
            "(STRATAGRAPH_MAX_CONCURRENT_EXPORTS); retry shortly"
        },
        status_code=503,
        headers={"Retry-After": RETRY_AFTER_S, "Cache-Control": "no-store"},
    )


class Unavailable(Exception):
    """The database cannot be used now (an outage, not a bug)."""


async def started_reader(
    sessions: async_sessionmaker[AsyncSession],
    make_reader: Callable[[AsyncSession], DatasetReader],
) -> tuple[AsyncSession, DatasetReader]:
    """A session and a reader whose first round trip succeeded; the caller closes the session.

    Raises ``Unavailable`` when the database does not answer.
    """
    for attempt in (1, 2):
        session = sessions()
        reader = make_reader(session)
        try:
            await reader.start()
        except Exception as error:
            if failure_kind(error) is not None:
                await session.invalidate()  # not back to the pool: the server may not answer
            else:
                await session.close()
            retry = attempt == 1 and isinstance(error, DBAPIError) and error.connection_invalidated
            if retry:
                continue
            if failure_kind(error) is not None:
                logger.warning("database unavailable: %s", first_line(error))
                raise Unavailable from None
            raise
        return session, reader
    raise AssertionError("unreachable")  # pragma: no cover
