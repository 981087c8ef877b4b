"""Look at what a connection's query asks for under its nodes, to load it with the page."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, InlineFragment | FragmentSpread):
            yield from _fields(selection.selections)


def requested_under_nodes(info: Info[Any, Any], names: Container[str]) -> list[str]:
    """Which of ``names`` are selected (without arguments) under ``nodes`` or ``edges.node``
    of the field being resolved."""
    found: dict[str, None] = {}
    for connection in info.selected_fields:
        for part in _fields(connection.selections):
            if part.name == "nodes":
                items = [part]
            elif part.name == "edges":
                items = [f for f in _fields(part.selections) if f.name == "node"]
            else:
                continue
            for item in items:
                for field in _fields(item.selections):
                    if field.name in names and not field.arguments:
                        found[field.name] = None
    return list(found)
