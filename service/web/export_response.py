"""A download's response: the export streamed as it is built, holding one of the worker's
export slots meanwhile.

The database has answered before the response starts (503 otherwise), and a worker already
building its maximum of exports answers 503 at once. An app that owns its database builds
each export in a worker process (``export_process``); one given a session factory (tests
bound to a transaction no other process can see) builds it here, rows in a thread.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

from starlette.background import BackgroundTask
from starlette.responses import JSONResponse, Response, StreamingResponse

from exporters.protocol import Exporter
from service.core.dataset_reader import DatasetReader
from service.web.export_job import ExportJob
from service.web.export_process import ExportWorkers, Worker, WorkerFailed, WorkerUnavailable
from service.web.outage import Unavailable, busy_response, started_reader, unavailable_response
from service.web.runtime import Runtime
from service.web.streaming import ClientGone, Pipe, stream_from

logger = logging.getLogger(__name__)

STOPPED = "export %r stopped: the client went away before the end"


async def streamed_export(
    runtime: Runtime,
    job: ExportJob,
    exporter: Exporter,
    *,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """Stream ``exporter``'s file for ``job``."""
    slots = runtime.exports
    if not slots.try_take():
        return busy_response(slots.limit)
    release = _once(slots.give_back)
    try:
        if runtime.export_workers is None:
            return await _built_here(runtime, job, exporter, release, media_type, headers)
        if not await _database_answers(runtime):
            release()
            return unavailable_response()
        return await _built_by_worker(runtime.export_workers, job, release, media_type, headers)
    except BaseException:
        release()
        raise


def failed_response() -> JSONResponse:
    return JSONResponse(
        {"error": "the export could not be built; it has been logged", "code": "EXPORT_FAILED"},
        status_code=500,
        headers={"Cache-Control": "no-store"},
    )


async def _database_answers(runtime: Runtime) -> bool:
    """One round trip through this process's pool first: an outage is a 503 at once, with no
    worker started for it (and a dead pooled connection is replaced on the way)."""
    try:
        session, _reader = await started_reader(runtime.sessions, DatasetReader)
    except Unavailable:
        return False
    await session.close()
    return True


async def _built_by_worker(
    workers: ExportWorkers,
    job: ExportJob,
    release: Callable[[], None],
    media_type: str,
    headers: dict[str, str],
) -> Response:
    try:
        worker = await workers.start(job)
    except WorkerUnavailable:
        release()
        return unavailable_response()
    except WorkerFailed as error:
        release()
        logger.error("%s before the download began", error)
        return failed_response()
    download = _WorkerDownload(workers, worker, release)
    if job.gzip:  # compressed by the worker; the middleware passes encoded bodies through
        headers = {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return StreamingResponse(
        download.body(),
        media_type=media_type,
        headers=headers,
        background=BackgroundTask(download.close),
    )


class _WorkerDownload:
    """The body of one worker's download and its clean-up, which runs once whichever of the
    body's end or the response's background task gets there first."""

    def __init__(self, workers: ExportWorkers, worker: Worker, release: Callable[[], None]):
        self._workers = workers
        self._worker = worker
        self._release = release
        self._ended = False  # the file was complete, or its failure was reported
        self._closed = False

    async def body(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._worker.output():
                yield chunk
            self._ended = True
        except WorkerFailed as error:
            self._ended = True
            logger.error("%s; the download was cut off", error)
            raise
        finally:
            await self.close()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            if not self._ended:
                logger.warning(STOPPED, self._worker.job.format)
            self._release()
        await self._workers.finish(self._worker)  # kills at once; the wait only reaps


async def _built_here(
    runtime: Runtime,
    job: ExportJob,
    exporter: Exporter,
    release: Callable[[], None],
    media_type: str,
    headers: dict[str, str],
) -> Response:
    dataset_filter = job.dataset_filter()
    pipe = Pipe()
    try:
        session, reader = await started_reader(
            runtime.sessions,
            lambda session: DatasetReader(
                session, pause=pipe.wait_for_room, public_url=job.public_url
            ),
        )
    except Unavailable:
        release()
        return unavailable_response()

    streaming = False

    async def produce(pipe: Pipe) -> None:
        # Owns the session and the slot once streaming began: a producer whose client left
        # finishes its current batch after the response is over.
        try:
            await exporter.export(reader, dataset_filter, pipe)
        except ClientGone:
            logger.warning(STOPPED, job.format)
            raise
        except Exception:
            logger.exception("export %r failed mid-stream", job.format)
            raise
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
