"""The list bounds of the current data, read once per data version (per process).

The read is a task of its own, shared by every request that asks while it runs and shielded
from them: a request that stops waiting (its time budget ran out, its client went away)
does not stop it, so its figure lands in the cache for the requests after it instead of
each of them starting the read again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from service.core.list_bounds import ListBounds

BoundsRead = Callable[[], Awaitable[ListBounds]]


@dataclass(frozen=True)
class _Read:
    version: int | None
    task: asyncio.Task[ListBounds]


class BoundsByVersion:
    """Without a version (a database with no version row, or one whose version could not be
    read) nothing can tell whether cached bounds still hold: they are read again (requests
    asking meanwhile share that read)."""

    def __init__(self, read: BoundsRead) -> None:
        self._read = read
        self._cached: tuple[int, ListBounds] | None = None
        self._latest: _Read | None = None  # the read started last, while it runs
        self._running: set[asyncio.Task[ListBounds]] = set()  # referenced until they end

    async def get(self, version: int | None) -> ListBounds:
        cached = self._cached
        if version is not None and cached is not None and cached[0] == version:
            return cached[1]
        latest = self._latest
        if latest is None or latest.version != version:
            latest = self._start(version)
        return await asyncio.shield(latest.task)

    def _start(self, version: int | None) -> _Read:
        read = _Read(version, asyncio.ensure_future(self._read()))
        self._latest = read
        self._running.add(read.task)
        read.task.add_done_callback(lambda _task: self._finished(read))
        return read

    def _finished(self, read: _Read) -> None:
        self._running.discard(read.task)
        latest = self._latest is read
        if latest:
            self._latest = None
        if read.task.cancelled():
            return
        if read.task.exception() is not None:
            return  # raised to every request that waited; the next one reads again
        if latest and read.version is not None:  # an older read does not replace newer bounds
            self._cached = (read.version, read.task.result())

    async def close(self) -> None:
        """Stop the reads still running (the app is shutting down)."""
        running = list(self._running)
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
