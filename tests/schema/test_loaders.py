"""BatchLoader: one batch per tick, values cached per key, failures and cancellation."""

from __future__ import annotations

import asyncio

import pytest

from schema.loaders import BatchLoader


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.fail = fail

    async def __call__(self, keys: list[int]) -> list[int]:
        self.batches.append(keys)
        await asyncio.sleep(0)
        if self.fail:
            raise LookupError("no such rows")
        return [k * 10 for k in keys]


async def test_keys_asked_in_one_tick_load_in_one_batch_and_stay_cached() -> None:
    load = Recorder()
    loader: BatchLoader[int, int] = BatchLoader(load)
    one, many, again = await asyncio.gather(
        loader.load(1), loader.load_many([2, 1, 3]), loader.load(3)
    )
    assert (one, many, again) == (10, [20, 10, 30], 30)
    assert load.batches == [[1, 2, 3]]
    assert await loader.load_many([3, 2]) == [30, 20]
    assert await loader.load(4) == 40
    assert load.batches == [[1, 2, 3], [4]]


async def test_a_failed_batch_fails_every_waiter_and_is_retried_later() -> None:
    load = Recorder(fail=True)
    loader: BatchLoader[int, int] = BatchLoader(load)
    results = await asyncio.gather(loader.load(1), loader.load_many([1, 2]), return_exceptions=True)
    assert all(isinstance(r, LookupError) for r in results)
    load.fail = False
    assert await loader.load(1) == 10
    assert load.batches == [[1, 2], [1]]


async def test_cancelling_one_waiter_leaves_the_batch_to_the_others() -> None:
    load = Recorder()
    loader: BatchLoader[int, int] = BatchLoader(load)
    cancelled = asyncio.ensure_future(loader.load(1))
    kept = asyncio.ensure_future(loader.load_many([1, 2]))
    await asyncio.sleep(0)
    cancelled.cancel()
    assert await kept == [10, 20]
    with pytest.raises(asyncio.CancelledError):
        await cancelled


async def test_a_waiter_on_two_batches_gets_both() -> None:
    load = Recorder()
    loader: BatchLoader[int, int] = BatchLoader(load)
    first = asyncio.ensure_future(loader.load(1))
    await asyncio.sleep(0)
    await asyncio.sleep(0)  # the first batch is dispatched and in flight
    assert await loader.load_many([1, 2]) == [10, 20]
    assert await first == 10
    assert load.batches == [[1], [2]]
