"""Generic Relay connection types built from a keyset ``Page``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from schema.relay import PageInfo, encode_cursor
from service.core.queries.paging import Key, Ordering, Page, row_key

T = TypeVar("T")

Counter = Callable[[], Awaitable[int]]


@strawberry.type(description="An item of a connection and its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The item.")
    key: strawberry.Private[Key]
    order: strawberry.Private[str]

    @strawberry.field(description="Opaque position of this item; pass it as after/before.")
    def cursor(self) -> str:
        return encode_cursor(self.order, self.key)


@strawberry.type(description="A page of a list, with cursors to move through it.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page with cursors.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    counter: strawberry.Private[Counter]

    @strawberry.field(description="The items of this page, without cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="How many items the whole list holds (counted, not loaded).")
    async def total_count(self) -> int:
        return await self.counter()


def make_connection(
    page: Page,
    build: Callable[[Sequence[Any]], Sequence[T]],
    order_name: str,
    ordering: Ordering,
    counter: Counter,
) -> Connection[T]:
    """``build`` makes the page's objects from all its rows at once."""
    nodes = build(page.rows)
    edges = [
        Edge(node=node, key=row_key(row, ordering), order=order_name)
        for node, row in zip(nodes, page.rows, strict=True)
    ]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor() if edges else None,
            end_cursor=edges[-1].cursor() if edges else None,
        ),
        counter=counter,
    )
