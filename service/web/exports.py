"""HTTP downloads: ``GET /exports`` (the formats), ``GET /exports/{format}?filters`` (a file)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from exporters.json_schema import SCHEMA_MEDIA_TYPE, schema_bytes
from exporters.protocol import Exporter
from exporters.registry import Registry
from service.core.database import failure_kind, first_line
from service.core.dataset_filter import (
    PARAMETERS,
    DatasetFilter,
    DatasetFilterError,
    filter_from_params,
)
from service.core.dataset_filter import filter_to_params as params_of
from service.core.dataset_reader import DatasetReader
from service.core.known_keys import check_known, session_rows
from service.web.bodiless import headers_only
from service.web.outage import Unavailable, busy_response, started_reader, unavailable_response
from service.web.runtime import Runtime, runtime_of
from service.web.streaming import ClientGone, Pipe, stream_from
from service.web.urls import public_base_url

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def exporters_of(request: Request) -> Registry:
    """The app's exporter registry (loaded once when the app is built)."""
    registry: Registry = request.app.state.exporters
    return registry


def download_filename(exporter: Exporter, dataset_filter: DatasetFilter) -> str:
    """``stratagraph.xlsx``, or ``stratagraph-strategy-DSK-I.xlsx`` for a filtered export."""
    parts = [f"{parameter}-{value}" for parameter, value in params_of(dataset_filter)]
    stem = _UNSAFE.sub("_", "-".join(["stratagraph", *parts]))[:120]
    return f"{stem}.{exporter.file_extension}"


def parse_filter(request: Request, options: tuple[str, ...] = ()) -> DatasetFilter:
    """The dataset filter in the query string; unknown parameters are errors, not ignored.
    ``options`` are the handler's own parameters besides the filters."""
    for key in request.query_params:
        if key not in PARAMETERS and key not in options:
            known = ", ".join((*PARAMETERS, *options))
            raise DatasetFilterError(key, f"unknown parameter; use {known}")
    return filter_from_params(request.query_params.multi_items())


async def checked_filter(
    request: Request, options: tuple[str, ...] = ()
) -> DatasetFilter | Response:
    """The query string's selection, every slug and code in it naming a record; else the
    answer to give: 400 naming the bad value, or 503 when the database cannot be asked.
    ``options`` are the handler's own parameters besides the filters."""
    try:
        dataset_filter = parse_filter(request, options)
        async with runtime_of(request).sessions() as session:
            await check_known(session_rows(session), dataset_filter)
    except DatasetFilterError as error:
        return filter_error_response(error)
    except Exception as error:
        if failure_kind(error) is None:
            raise
        logger.warning("filter check: database unavailable: %s", first_line(error))
        return unavailable_response()
    return dataset_filter


def filter_error_response(error: DatasetFilterError) -> JSONResponse:
    return JSONResponse(
        {"error": str(error), "parameter": error.parameter, "problem": error.problem},
        status_code=400,
    )


async def list_exports(request: Request) -> JSONResponse:
    registry = exporters_of(request)
    return JSONResponse(
        {
            "formats": [
                {
                    "name": exporter.name,
                    "title": exporter.title,
                    "description": exporter.description,
                    "media_type": exporter.media_type,
                    "file_extension": exporter.file_extension,
                    "url": str(request.url_for("export", format=exporter.name)),
                }
                for exporter in registry
            ],
            "broken": dict(registry.broken),
            "parameters": list(PARAMETERS),
        }
    )


async def export(request: Request) -> Response:
    registry = exporters_of(request)
    name = request.path_params["format"]
    exporter = registry.get(name)
    if exporter is None:
        return JSONResponse(
            {
                "error": f"unknown export format {name!r}",
                "available": registry.names,
            },
            status_code=404,
        )
    dataset_filter = await checked_filter(request)
    if isinstance(dataset_filter, Response):
        return dataset_filter
    filename = download_filename(exporter, dataset_filter)
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if request.method == "HEAD":
        return headers_only(200, headers, exporter.media_type)
    runtime = runtime_of(request)
    public_url = public_base_url(request)

    async def run(pipe: Pipe, reader: DatasetReader) -> None:
        try:
            await exporter.export(reader, dataset_filter, pipe)
        except ClientGone:
            logger.warning("export %r stopped: the client went away before the end", name)
            raise
        except Exception:
            logger.exception("export %r failed mid-stream", name)
            raise

    return await streamed_export(
        runtime,
        lambda session, pause: DatasetReader(session, pause=pause, public_url=public_url),
        run,
        media_type=exporter.media_type,
        headers=headers,
    )


async def streamed_export(
    runtime: Runtime,
    make_reader: Callable[[AsyncSession, Callable[[], Awaitable[None]]], DatasetReader],
    run: Callable[[Pipe, DatasetReader], Awaitable[None]],
    *,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """Stream what ``run`` writes, holding one of the worker's export slots meanwhile.

    The database has answered before the response starts (503 otherwise), and a worker
    already building its maximum of exports answers 503 at once."""
    slots = runtime.exports
    if not slots.try_take():
        return busy_response(slots.limit)
    release = _once(slots.give_back)
    pipe = Pipe()
    try:
        session, reader = await started_reader(
            runtime.sessions, lambda session: make_reader(session, pipe.wait_for_room)
        )
    except Unavailable:
        release()
        return unavailable_response()
    except BaseException:
        release()
        raise

    streaming = False

    async def produce(pipe: Pipe) -> None:
        # Owns the session and the slot once streaming began: a producer whose client left
        # finishes its current batch after the response is over.
        try:
            await run(pipe, reader)
        finally:
            await session.close()
            release()

    async def body() -> AsyncIterator[bytes]:
        nonlocal streaming
        streaming = True
        async for chunk in stream_from(produce, pipe=pipe):
            yield chunk

    async def close_unstarted() -> None:
        # After the response, even one whose body never started (the client left first).
        if not streaming:
            release()
            await session.close()

    return StreamingResponse(
        body(), media_type=media_type, headers=headers, background=BackgroundTask(close_unstarted)
    )


def _once(action: Callable[[], None]) -> Callable[[], None]:
    done = False

    def once() -> None:
        nonlocal done
        if not done:
            done = True
            action()

    return once


async def json_schema(request: Request) -> Response:
    return Response(schema_bytes(), media_type=SCHEMA_MEDIA_TYPE)
