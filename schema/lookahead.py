"""Look at what a connection's query asks for under its nodes, to load it with the page.

This walks the operation's syntax tree directly: strawberry's ``info.selected_fields``
converts the whole sub-selection (arguments, directives) into its own objects on every call,
which cost more than the rest of a connection's resolver.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionNode,
)
from strawberry.types import Info


def _fields(
    selections: Iterable[SelectionNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for selection in selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set.selections, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set.selections, fragments)


def _children(
    field: FieldNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    if field.selection_set is not None:
        yield from _fields(field.selection_set.selections, fragments)


def requested_under_nodes(info: Info[Any, Any], names: Container[str]) -> list[str]:
    """Which of ``names`` are selected (without arguments) under ``nodes`` or ``edges.node``
    of the field being resolved."""
    raw = info._raw_info
    fragments = raw.fragments
    found: dict[str, None] = {}
    for connection in raw.field_nodes:
        for part in _children(connection, fragments):
            name = part.name.value
            if name == "nodes":
                items = [part]
            elif name == "edges":
                items = [f for f in _children(part, fragments) if f.name.value == "node"]
            else:
                continue
            for item in items:
                for field in _children(item, fragments):
                    if field.name.value in names and not field.arguments:
                        found[field.name.value] = None
    return list(found)
