"""The export worker process: ``python -m service.web.export_worker`` builds one export.

It reads its job from standard input (see ``export_job``), opens the database with the
serving settings, reads everything from one snapshot (``DatasetReader``: REPEATABLE READ on
PostgreSQL, one read transaction on SQLite), and writes the file to standard output. Writes
block while the pipe is full, so the worker never runs further ahead of the client than the
pipe's buffers. The serving process kills it when the client goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
import os
import sys
from importlib.metadata import entry_points
from typing import BinaryIO

from exporters.protocol import ENTRY_POINT_GROUP
from service.core.database import create_session_factory, failure_kind, first_line, serving_engine
from service.core.dataset_reader import DatasetReader
from service.core.settings import log_level_from_env
from service.web.export_job import (
    EXIT_UNAVAILABLE,
    READY,
    ExportJob,
    WorkerDatabase,
    decode_request,
)

logger = logging.getLogger("stratagraph.export_worker")

OUTPUT_BUFFER = 1 << 16
# zlib's default: a large export compresses at several times the speed of level 9, for a few
# per cent more bytes (this runs per download, not once for many).
GZIP_LEVEL = 6


async def build(job: ExportJob, database: WorkerDatabase, out: BinaryIO) -> int:
    """Write ``READY`` and then the export to ``out``; the exit status."""
    exporter = job.exporter()
    dataset_filter = job.dataset_filter()
    engine = serving_engine(database.settings())
    try:
        async with create_session_factory(engine)() as session:
            reader = DatasetReader(session, public_url=job.public_url)
            try:
                await reader.start()
                out.write(READY)
                out.flush()
                if job.gzip:
                    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=GZIP_LEVEL) as packed:
                        await exporter.export(reader, dataset_filter, packed)
                else:
                    await exporter.export(reader, dataset_filter, out)
                out.flush()
            except Exception as error:
                if failure_kind(error) is None:
                    raise
                logger.warning("export %r: database unavailable: %s", job.format, first_line(error))
                return EXIT_UNAVAILABLE
    finally:
        await engine.dispose()
    return 0


def import_exporters() -> None:
    """Import every registered exporter's code before the job arrives (a spare worker waits
    for its job): a plugin that fails here fails again, reported, when its job asks for it."""
    for point in entry_points(group=ENTRY_POINT_GROUP):
        with contextlib.suppress(Exception):
            point.load()


def main() -> int:
    logging.basicConfig(
        level=log_level_from_env().upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    # The file goes to a private copy of standard output; anything a library prints (even
    # while it is imported) lands in the log, standard error, never inside the file.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=OUTPUT_BUFFER)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    import_exporters()
    request = sys.stdin.buffer.read()
    if not request:
        return 0  # a spare that was never given a job: its server stopped
    job, database = decode_request(request)
    try:
        return asyncio.run(build(job, database, out))
    except BrokenPipeError:
        return 1  # the serving process stopped reading: nobody wants the rest
    except Exception:
        logger.exception("export %r failed", job.format)
        return 1
    finally:
        with contextlib.suppress(BrokenPipeError):
            out.close()


if __name__ == "__main__":
    raise SystemExit(main())
