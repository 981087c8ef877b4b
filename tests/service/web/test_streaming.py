"""The export pipe holds a fast producer back (bounded memory) and stops it when the client
goes away."""

from __future__ import annotations

import asyncio

import pytest

from service.web.streaming import Pipe, stream_from

BATCH = b"x" * 400


async def test_producer_waits_for_the_consumer() -> None:
    buffered: list[int] = []

    async def produce(pipe: Pipe) -> None:
        for _ in range(20):
            await pipe.wait_for_room()
            pipe.write(BATCH)
            buffered.append(pipe._size)
            await asyncio.sleep(0)

    received = b""
    async for chunk in stream_from(produce, high_water=1000):
        received += chunk
        await asyncio.sleep(0)
    assert received == BATCH * 20
    assert max(buffered) < 1000 + len(BATCH)


async def test_client_going_away_cancels_the_producer() -> None:
    state = {"batches": 0, "cancelled": False}

    async def produce(pipe: Pipe) -> None:
        try:
            while True:
                await pipe.wait_for_room()
                pipe.write(BATCH)
                state["batches"] += 1
        except asyncio.CancelledError:
            state["cancelled"] = True
            raise

    chunks = stream_from(produce, high_water=1000)
    assert await anext(chunks)
    await chunks.aclose()
    assert state["cancelled"]
    assert state["batches"] < 10


async def test_producer_errors_reach_the_consumer() -> None:
    async def produce(pipe: Pipe) -> None:
        pipe.write(b"partial")
        raise RuntimeError("database went away")

    received: list[bytes] = []

    async def consume() -> None:
        async for chunk in stream_from(produce):
            received.append(chunk)

    with pytest.raises(RuntimeError, match="database went away"):
        await consume()
    assert received == [b"partial"]
