"""Encoded ``/graphql`` responses cached per data version, bounded by their total size.

A key holds the data version read before the operation ran, so an entry is only ever served
to requests that saw the same version: a write bumps the version and old entries are never
hit again (they age out of the LRU). Every worker process keeps its own cache; they agree
because they key on the same database-held version.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# What an entry costs beyond its body and key text (tuple, strings, bytes headers, links).
ENTRY_OVERHEAD = 400


@dataclass(frozen=True)
class Stored:
    """An encoded response: body bytes and status code."""

    body: bytes
    status: int


class Key:
    """What decides a response: data version, document, operation, variables, media type."""

    def __init__(
        self,
        version: int,
        source: str,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        extensions: dict[str, Any] | None,
        media: str,
    ) -> None:
        self.parts: tuple[Any, ...] = (
            version,
            source,
            operation_name,
            _canonical(variables),
            _canonical(extensions),
            media,
        )
        self.size = ENTRY_OVERHEAD + sum(len(p) for p in self.parts[1:] if p is not None)

    def __hash__(self) -> int:
        return hash(self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and other.parts == self.parts

    @cached_property
    def etag(self) -> str:
        """A strong validator every worker computes alike for the same key."""
        digest = hashlib.sha256(
            json.dumps(self.parts, ensure_ascii=False, separators=(",", ":")).encode()
        )
        return f'"{digest.hexdigest()[:32]}"'


def _canonical(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class ResponseCache:
    """A least-recently-used map of keys to responses, at most ``max_bytes`` in total."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Key, Stored] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key) -> Stored | None:
        stored = self._entries.get(key)
        if stored is not None:
            self._entries.move_to_end(key)
        return stored

    def put(self, key: Key, stored: Stored) -> None:
        cost = key.size + len(stored.body)
        if cost > self.max_bytes:
            return  # larger than the whole cache: never worth evicting everything for
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.size -= key.size + len(previous.body)
        self._entries[key] = stored
        self.size += cost
        while self.size > self.max_bytes:
            old_key, old = self._entries.popitem(last=False)
            self.size -= old_key.size + len(old.body)
