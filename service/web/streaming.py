"""Run an exporter as a producer task and stream what it writes, with backpressure.

The exporter writes synchronously into a ``Pipe``; before each database batch it awaits
``Pipe.wait_for_room`` (through ``DatasetReader``'s pause hook), which holds it back while more
than ``high_water`` bytes wait for the client. Memory stays bounded by one batch of output.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

logger = logging.getLogger(__name__)

HIGH_WATER = 1 << 20
# Producers still unwinding after their client left: the loop keeps only weak references.
_STOPPING: set[asyncio.Task[None]] = set()


class ClientGone(Exception):
    """The client stopped reading; raised in the producer at its next write or pause."""

    def __init__(self) -> None:
        super().__init__("the client went away")


class Pipe:
    """A byte buffer between a synchronous writer and an async reader."""

    def __init__(self, high_water: int = HIGH_WATER) -> None:
        self.high_water = high_water
        self._chunks: list[bytes] = []
        self._size = 0
        self._closed = False
        self._abandoned = False
        self._readable = asyncio.Event()
        self._drained = asyncio.Event()

    def write(self, data: bytes, /) -> int:
        if self._abandoned:
            raise ClientGone
        if data:
            self._chunks.append(bytes(data))
            self._size += len(data)
            self._readable.set()
        return len(data)

    def flush(self) -> None:
        self._readable.set()

    def close(self) -> None:
        self._closed = True
        self._readable.set()

    def abandon(self) -> None:
        """No one reads any more: the writer's next write or ``wait_for_room`` raises."""
        self._abandoned = True
        self._drained.set()

    async def wait_for_room(self) -> None:
        while self._size >= self.high_water and not self._closed and not self._abandoned:
            self._drained.clear()
            await self._drained.wait()
        if self._abandoned:
            raise ClientGone

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            if not self._chunks:
                if self._closed:
                    return
                self._readable.clear()
                await self._readable.wait()
                continue
            data = b"".join(self._chunks)
            self._chunks.clear()
            self._size = 0
            self._drained.set()
            yield data


async def stream_from(
    produce: Callable[[Pipe], Awaitable[None]],
    high_water: int = HIGH_WATER,
    pipe: Pipe | None = None,
) -> AsyncIterator[bytes]:
    """Yield the bytes ``produce`` writes into its pipe (``pipe``, or a new one).

    If the client goes away, the producer is stopped at its next write or pause (between
    database batches) rather than cancelled mid-statement: a cancelled query makes the driver
    tear its connection down in a task of its own, and half-written workbooks spill errors
    when collected."""
    pipe = pipe or Pipe(high_water)

    async def run() -> None:
        try:
            await produce(pipe)
        finally:
            pipe.close()

    task = asyncio.create_task(run())
    try:
        async for chunk in pipe.chunks():
            yield chunk
        await task
    finally:
        if not task.done():
            pipe.abandon()
            _STOPPING.add(task)
            task.add_done_callback(_stopped)


def _stopped(task: asyncio.Task[None]) -> None:
    _STOPPING.discard(task)
    error = None if task.cancelled() else task.exception()
    if error is not None and not isinstance(error, ClientGone):
        logger.error("export failed after its client went away", exc_info=error)
