"""DataLoaders created per request: one batched statement per relation and level.

Loaders are made on first use and keyed by what they load *and* the arguments that shape it
(page size, cursor, order), so two fields asking for different pages never share a batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from service.queries.reader import Reader

BatchLoad = Callable[[Reader, Sequence[Any]], Awaitable[Sequence[Any]]]


class Loaders:
    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def get(self, key: Hashable, batch: BatchLoad) -> DataLoader[Any, Any]:
        """The loader for ``key``, made from ``batch`` the first time it is asked for."""
        loader = self._loaders.get(key)
        if loader is None:
            reader = self._reader

            async def load(keys: list[Any]) -> Sequence[Any]:
                return await batch(reader, keys)

            loader = DataLoader(load_fn=load)
            self._loaders[key] = loader
        return loader
