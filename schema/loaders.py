"""Batched loaders created per request: one batched statement per relation and level.

Loaders are made on first use and keyed by what they load *and* the arguments that shape it
(page size, cursor, order), so two fields asking for different pages never share a batch.

``BatchLoader`` behaves like strawberry's ``DataLoader`` (keys asked for in the same tick of
the event loop are loaded together, values are cached per key for the request) but costs
one future per call instead of one future, task record and done-callback per key: a page of
100 tasks asks for each of its relations with one ``load_many``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from service.core.queries.reader import Reader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

BatchLoad = Callable[[Reader, Sequence[Any]], Awaitable[Sequence[Any]]]


class _Batch:
    __slots__ = ("keys", "waiters")

    def __init__(self) -> None:
        self.keys: dict[Any, None] = {}
        self.waiters: list[asyncio.Future[None]] = []


class BatchLoader(Generic[K, V]):
    def __init__(self, load_fn: Callable[[list[K]], Awaitable[Sequence[V]]]) -> None:
        self._load_fn = load_fn
        self._values: dict[K, V] = {}
        self._loading: dict[K, _Batch] = {}
        self._next: _Batch | None = None

    async def load(self, key: K) -> V:
        if key not in self._values:
            await self._wait((key,))
        return self._values[key]

    async def load_many(self, keys: Iterable[K]) -> list[V]:
        keys = list(keys)
        await self._wait(keys)
        values = self._values
        return [values[key] for key in keys]

    async def _wait(self, keys: Iterable[K]) -> None:
        values, loading = self._values, self._loading
        batches: dict[int, _Batch] = {}
        for key in keys:
            if key in values:
                continue
            batch = loading.get(key)
            if batch is None:
                batch = self._enqueue(key)
            batches[id(batch)] = batch
        if not batches:
            return
        # One future per waiter, not a shared one: cancelling one waiter (graphql-core
        # cancels siblings of a failed field) must not cancel the batch for the others.
        # All are registered before any is awaited: a batch may finish meanwhile.
        loop = asyncio.get_running_loop()
        waiters = []
        for batch in batches.values():
            waiter = loop.create_future()
            batch.waiters.append(waiter)
            waiters.append(waiter)
        for waiter in waiters:
            await waiter

    def _enqueue(self, key: K) -> _Batch:
        batch = self._next
        if batch is None:
            batch = self._next = _Batch()
            # Two hops, like strawberry's DataLoader: keys asked for by sibling resolvers
            # scheduled in this tick still join the batch.
            asyncio.get_running_loop().call_soon(self._dispatch, batch)
        batch.keys[key] = None
        self._loading[key] = batch
        return batch

    def _dispatch(self, batch: _Batch) -> None:
        self._next = None
        task = asyncio.ensure_future(self._run(batch))
        task.add_done_callback(_settled)

    async def _run(self, batch: _Batch) -> None:
        keys = list(batch.keys)
        error: BaseException | None = None
        try:
            found = await self._load_fn(keys)
            if len(found) != len(keys):
                raise RuntimeError(
                    f"a batch load returned {len(found)} values for {len(keys)} keys"
                )
            self._values.update(zip(keys, found, strict=True))
        except BaseException as exc:  # every waiter learns of it, then it propagates
            error = exc
        finally:
            for key in keys:
                self._loading.pop(key, None)
            for waiter in batch.waiters:
                if waiter.done():
                    continue
                if error is None:
                    waiter.set_result(None)
                elif isinstance(error, Exception):
                    waiter.set_exception(error)
                else:
                    waiter.cancel()
        if error is not None and not isinstance(error, Exception):
            raise error


def _settled(task: asyncio.Future[None]) -> None:
    """Errors were handed to the waiters; mark them retrieved so asyncio does not log them."""
    if not task.cancelled():
        task.exception()


class Loaders:
    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loaders: dict[Hashable, BatchLoader[Any, Any]] = {}

    def get(self, key: Hashable, batch: BatchLoad) -> BatchLoader[Any, Any]:
        """The loader for ``key``, made from ``batch`` the first time it is asked for."""
        loader = self._loaders.get(key)
        if loader is None:
            reader = self._reader

            async def load(keys: list[Any]) -> Sequence[Any]:
                return await batch(reader, keys)

            loader = BatchLoader(load)
            self._loaders[key] = loader
        return loader
