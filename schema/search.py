"""``search``: ranked full-text hits across every entity, keyset-paged, one per record."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from schema import loader_factories
from schema.connection import Connection, make_connection
from schema.errors import BadUserInput
from schema.relay import page_request
from schema.types.entities import NODE_TYPES, Node
from service.core import registry
from service.core.queries import catalog, fetch
from service.core.queries.paging import PageRequest
from service.core.queries.search import KINDS, SCORE_SCALE, search_statement
from service.core.search_index import FIELD_KINDS, FIELDS
from service.core.snippet import snippet
from service.core.text_fold import words

_TYPE_OF_TABLE = {kind.table: kind for kind in NODE_TYPES.values()}
MAX_QUERY = 200


def _search_types() -> type[Enum]:
    """A value per entity the registry searches, described as the registry describes it."""
    values = {
        table.upper(): strawberry.enum_value(table, description=registry.entity(table).description)
        for table in KINDS
    }
    types = Enum("SearchType", values)  # type: ignore[misc]
    return strawberry.enum(types, description="Which kinds of record a search returns.")


def _search_fields() -> type[Enum]:
    """A value per kind of text the search index holds, in ``FIELD_KINDS``' order."""
    values = {
        kind.name.upper(): strawberry.enum_value(kind.name, description=kind.description)
        for kind in FIELD_KINDS
        if kind.name in FIELDS
    }
    fields = Enum("SearchField", values)  # type: ignore[misc]
    return strawberry.enum(fields, description="Which text of a record a search hit was found in.")


SearchType = _search_types()
SearchField = _search_fields()


_FIELDS = {str(member.value): member for member in SearchField}


@strawberry.type(description="A record a search found, how well it matched, and where.")
class SearchHit:
    node: Node = strawberry.field(description="The record.")
    score: float = strawberry.field(
        description="Relevance (higher is better; comparable within one search only)."
    )
    field: SearchField = strawberry.field(  # type: ignore[valid-type]
        description="The text the best match is in."
    )
    snippet: str = strawberry.field(
        description="An excerpt of that text around the first matched word."
    )


ORDER_NAME = "SEARCH"  # the cursors' order
KEY_TYPES = (int, int, int)  # rank, kind number, id
DEFAULT_PAGE = 20


@dataclass(frozen=True)
class SearchArgs:
    """The checked arguments of ``search``: the query, the kinds of record, the page."""

    text: str
    kinds: tuple[str, ...]
    request: PageRequest


def search_args(
    query: str, types: Sequence[Enum] | None, first: int | None, after: str | None
) -> SearchArgs:
    """``BAD_USER_INPUT`` for a query without words or too long, or bad page arguments."""
    text = query.strip()
    if not words(text):
        raise BadUserInput("query", "give at least one word (letters or digits) to search for")
    if len(text) > MAX_QUERY:
        raise BadUserInput("query", f"{len(text)} characters; search for at most {MAX_QUERY}")
    kinds = tuple(dict.fromkeys(t.name.lower() for t in types or ()))
    request = page_request(first, after, None, None, ORDER_NAME, KEY_TYPES, default=DEFAULT_PAGE)
    return SearchArgs(text, kinds, request)


async def search(
    info: Info[Any, Any],
    query: str,
    types: Sequence[Enum] | None,
    first: int | None,
    after: str | None,
) -> Connection[SearchHit]:
    checked = search_args(query, types, first, after)
    text = checked.text
    reader = loader_factories.context(info).reader
    statement, ordering = search_statement(text, reader.dialect, checked.kinds)
    page = await fetch.page(reader, statement, ordering, checked.request)
    loads = [
        loader_factories.by_id(info, catalog.TABLES[KINDS[row.kind]]).load(row.id)
        for row in page.rows
    ]
    rows = await asyncio.gather(*loads)
    built = {
        (hit.kind, hit.id): SearchHit(
            node=_TYPE_OF_TABLE[KINDS[hit.kind]].from_row(row),
            score=-hit.rank / SCORE_SCALE,
            field=_FIELDS[hit.field],
            snippet=snippet(hit.text, hit.folded, text),
        )
        for hit, row in zip(page.rows, rows, strict=True)
    }

    async def count() -> int:
        return await fetch.count(reader, statement)

    return make_connection(
        page, lambda hits: [built[(h.kind, h.id)] for h in hits], ORDER_NAME, ordering, count
    )
