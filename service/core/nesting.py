"""JSON (and parsed YAML) nested no deeper than a limit, checked without recursion."""

from __future__ import annotations

import json
from typing import Any


class TooDeepError(ValueError):
    """A document nests arrays/objects deeper than allowed."""

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        super().__init__(f"nested more than {max_depth} levels deep")


def depth(value: Any) -> int:
    """How many arrays/objects (lists/dicts) ``value`` nests; 0 for a scalar."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


def check_depth(value: Any, max_depth: int) -> None:
    if depth(value) > max_depth:
        raise TooDeepError(max_depth)


def load_json(data: bytes | str, max_depth: int) -> Any:
    """``json.loads`` that raises ``TooDeepError`` (not RecursionError) for deep documents."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise TooDeepError(max_depth) from None
    check_depth(value, max_depth)
    return value
