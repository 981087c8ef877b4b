"""Exports built in worker processes, so the serving process only copies bytes.

Building a workbook is CPU work; in the serving process it holds the GIL, and every other
request, health checks included, waits for its turn. Each export runs instead in a process of
its own (``service.web.export_worker``) that reads the database itself. The pipe between the
two is the back-pressure: the serving process reads the next chunk only once the client took
the last one, and the worker's writes block while the pipe is full. A worker whose client left
is killed at once; one that crashes ends its download as an error, never as a short file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

from service.core.settings import Settings
from service.web.export_job import (
    EXIT_UNAVAILABLE,
    READY,
    ExportJob,
    WorkerDatabase,
    encode_request,
)

logger = logging.getLogger(__name__)

CHUNK = 1 << 16
WORKER_MODULE = "service.web.export_worker"
# Starting the interpreter and importing the exporters, before the first database read.
STARTUP_ALLOWANCE_S = 20.0


class WorkerFailed(Exception):
    """The worker stopped without finishing its file (it crashed or was killed)."""

    def __init__(self, job: ExportJob, returncode: int | None) -> None:
        how = (
            "did not start in time"
            if returncode is None
            else f"was killed by signal {-returncode}"
            if returncode < 0
            else f"exited with status {returncode}"
        )
        super().__init__(f"the worker building the {job.format!r} export {how}")
        self.returncode = returncode


class WorkerUnavailable(Exception):
    """The worker could not read the database (an outage, not a bug)."""


@dataclass
class Worker:
    """One running export: its process and the job it builds."""

    job: ExportJob
    process: asyncio.subprocess.Process

    @property
    def pid(self) -> int:
        return self.process.pid

    async def output(self) -> AsyncIterator[bytes]:
        """The file's bytes as the worker writes them; raises ``WorkerFailed`` (after the
        last chunk) unless the worker finished the file."""
        stdout = self.process.stdout
        assert stdout is not None
        while chunk := await stdout.read(CHUNK):
            yield chunk
        returncode = await self.process.wait()
        if returncode != 0:
            raise WorkerFailed(self.job, returncode)

    def kill(self) -> None:
        """Kill the worker if it still runs (at once: nothing to await)."""
        _kill(self.process)


class ExportWorkers:
    """Starts export workers and keeps the running ones (to stop them at shutdown). Once
    asked to, it keeps one spare worker waiting, its imports done, for the next export."""

    def __init__(self, settings: Settings) -> None:
        self._database = WorkerDatabase.of(settings)
        self._ready_within_s = (
            STARTUP_ALLOWANCE_S
            + (settings.connect_timeout_ms + settings.statement_timeout_ms) / 1000
        )
        self.running: dict[int, Worker] = {}
        self._spare: asyncio.subprocess.Process | None = None
        self._keep_spare = False
        self._spawning_spare = False

    def keep_a_spare(self) -> None:
        """From the next export on, keep a spare worker waiting (the app's lifespan turns this
        on, and stops the spare with ``stop_all``)."""
        self._keep_spare = True

    async def start(self, job: ExportJob) -> Worker:
        """A worker whose first read of the database succeeded (it wrote ``READY``).

        Raises ``WorkerUnavailable`` when the database does not answer and ``WorkerFailed``
        when the worker dies (or does not get ready in time) before that."""
        worker = Worker(job, await self._waiting_process())
        self.running[worker.pid] = worker
        try:
            await self._hand_over(worker)
        except BaseException:
            await self.finish(worker)
            raise
        return worker

    async def _waiting_process(self) -> asyncio.subprocess.Process:
        """A worker process waiting for its job: the spare one, which has imported what it
        needs meanwhile, else a new one. When keeping a spare, a new one starts for the next
        export (a fork and exec: its imports run in the new process, not here)."""
        # Taken before any await: exports that start together must not share one process.
        spare, self._spare = self._spare, None
        if self._keep_spare and not self._spawning_spare:
            await self._spawn_spare()
        if spare is not None:
            if spare.returncode is None:
                return spare
            await spare.wait()  # it died waiting (killed from outside): reap it
        return await _spawn()

    async def _spawn_spare(self) -> None:
        self._spawning_spare = True
        try:
            replacement = await _spawn()
        finally:
            self._spawning_spare = False
        if self._keep_spare and self._spare is None:
            self._spare = replacement
        else:  # shutdown began meanwhile
            _kill(replacement)
            await replacement.wait()

    async def _hand_over(self, worker: Worker) -> None:
        stdin, stdout = worker.process.stdin, worker.process.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(encode_request(worker.job, self._database))
            await stdin.drain()
            stdin.close()
            async with asyncio.timeout(self._ready_within_s):
                ready = await stdout.readexactly(len(READY))
        # uvloop raises RuntimeError, not BrokenPipeError, writing to a pipe already closed by
        # a worker that died: the same failure.
        except (asyncio.IncompleteReadError, BrokenPipeError, ConnectionResetError, RuntimeError):
            returncode = await worker.process.wait()
            if returncode == EXIT_UNAVAILABLE:
                raise WorkerUnavailable from None
            raise WorkerFailed(worker.job, returncode) from None
        except TimeoutError:
            raise WorkerFailed(worker.job, None) from None
        if ready != READY:
            raise WorkerFailed(worker.job, worker.process.returncode)

    async def finish(self, worker: Worker) -> None:
        """Kill ``worker`` if it still runs, forget it, and reap it."""
        worker.kill()
        self.running.pop(worker.pid, None)
        await worker.process.wait()

    async def stop_all(self) -> None:
        """Stop every running worker, and the spare."""
        self._keep_spare = False
        for worker in list(self.running.values()):
            await self.finish(worker)
        spare, self._spare = self._spare, None
        if spare is not None:
            _kill(spare)
            await spare.wait()


def _kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()


async def _spawn() -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        WORKER_MODULE,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
