"""``search``: keyset-paged hits across every entity, loaded in one statement per type."""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.types import Info

from schema import loader_factories
from schema.connection import Connection, make_connection
from schema.errors import BadUserInput
from schema.relay import page_request
from schema.types.entities import NODE_TYPES, Node
from service.core.queries import catalog, fetch
from service.core.queries.search import KINDS, search_statement

_TYPE_OF_TABLE = {kind.table: kind for kind in NODE_TYPES.values()}
MAX_QUERY = 200


async def search(
    info: Info[Any, Any], query: str, first: int | None, after: str | None
) -> Connection[Node]:
    text = query.strip()
    if not text:
        raise BadUserInput("query", "give at least one non-blank character to search for")
    if len(text) > MAX_QUERY:
        raise BadUserInput("query", f"{len(text)} characters; search for at most {MAX_QUERY}")
    statement, ordering = search_statement(text)
    request = page_request(first, after, None, None, "SEARCH", (int, int), default=20)
    reader = loader_factories.context(info).reader
    page = await fetch.page(reader, statement, ordering, request)
    loads = [
        loader_factories.by_id(info, catalog.TABLES[KINDS[row.kind]]).load(row.id)
        for row in page.rows
    ]
    rows = await asyncio.gather(*loads)
    built = {
        (hit.kind, hit.id): _TYPE_OF_TABLE[KINDS[hit.kind]].from_row(row)
        for hit, row in zip(page.rows, rows, strict=True)
    }

    async def count() -> int:
        return await fetch.count(reader, statement)

    return make_connection(
        page, lambda hits: [built[(h.kind, h.id)] for h in hits], "SEARCH", ordering, count
    )
