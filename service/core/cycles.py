"""Parent links that loop back on themselves (a task that is its own ancestor)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def find_cycles(parents: Mapping[K, K | None]) -> list[list[K]]:
    """Every cycle once, each as its keys in parent order from the first key met:
    ``[a, b, a]`` when a's parent is b and b's parent is a."""
    state: dict[K, int] = {}  # 1: on the current walk, 2: done
    cycles: list[list[K]] = []
    for start in parents:
        walk: list[K] = []
        node: K | None = start
        while node is not None and node in parents and node not in state:
            state[node] = 1
            walk.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            cycles.append([*loop, node])
        for visited in walk:
            state[visited] = 2
    return cycles
