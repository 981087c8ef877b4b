"""Run an exporter as a producer task and stream what it writes, with backpressure.

The exporter writes synchronously into a ``Pipe``; before each database batch it awaits
``Pipe.wait_for_room`` (through ``DatasetReader``'s pause hook), which holds it back while more
than ``high_water`` bytes wait for the client. Memory stays bounded by one batch of output.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

logger = logging.getLogger(__name__)

HIGH_WATER = 1 << 20


class Pipe:
    """A byte buffer between a synchronous writer and an async reader."""

    def __init__(self, high_water: int = HIGH_WATER) -> None:
        self.high_water = high_water
        self._chunks: list[bytes] = []
        self._size = 0
        self._closed = False
        self._readable = asyncio.Event()
        self._drained = asyncio.Event()

    def write(self, data: bytes, /) -> int:
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

    async def wait_for_room(self) -> None:
        while self._size >= self.high_water and not self._closed:
            self._drained.clear()
            await self._drained.wait()

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
    """Yield the bytes ``produce`` writes into its pipe (``pipe``, or a new one); cancel it if
    the client goes away."""
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
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
