"""``search``: ranked full-text hits across every entity, keyset-paged, one per record."""

from __future__ import annotations

import asyncio
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
from service.core.queries import catalog, fetch
from service.core.queries.paging import PageRequest
from service.core.queries.search import KINDS, SCORE_SCALE, search_statement
from service.core.snippet import snippet
from service.core.text_fold import words

_TYPE_OF_TABLE = {kind.table: kind for kind in NODE_TYPES.values()}
MAX_QUERY = 200


@strawberry.enum(description="Which kinds of record a search returns.")
class SearchType(Enum):
    DOCUMENT = strawberry.enum_value("document", description="Source documents.")
    PLAN = strawberry.enum_value("plan", description="Plans.")
    STRATEGY = strawberry.enum_value("strategy", description="Strategies.")
    TASK = strawberry.enum_value("task", description="Tasks and sub-tasks.")
    LAW = strawberry.enum_value("law", description="Laws, under any of their names.")
    MILESTONE = strawberry.enum_value("milestone", description="Milestones.")
    BUDGET = strawberry.enum_value("budget", description="Budgets.")
    TARGET = strawberry.enum_value("target", description="Targets.")
    TECHNOLOGY = strawberry.enum_value("technology", description="Technologies.")
    REGION = strawberry.enum_value("region", description="Regions.")
    ORGANISATION = strawberry.enum_value("organisation", description="Organisations.")


@strawberry.enum(description="Which text of a record a search hit was found in.")
class SearchField(Enum):
    CODE = strawberry.enum_value("code", description="Its code or slug.")
    LABEL = strawberry.enum_value("label", description="Its numbering or tag as written.")
    TITLE = strawberry.enum_value(
        "title", description="Its title (a budget's purpose, a target's metric)."
    )
    NAME = strawberry.enum_value(
        "name", description="Its name (a vocabulary term's, or a law's name in a document)."
    )
    ABBREVIATION = strawberry.enum_value("abbreviation", description="Its abbreviation.")
    DESCRIPTION = strawberry.enum_value("description", description="Its description or summary.")
    STATUS = strawberry.enum_value("status", description="A law's status as written.")
    DATE = strawberry.enum_value("date", description="A milestone's date as written.")
    AMOUNT = strawberry.enum_value("amount", description="A budget's amount as written.")
    VALUE = strawberry.enum_value("value", description="A target's value as written.")
    PUBLISHER = strawberry.enum_value("publisher", description="A document's publisher.")
    QUOTE = strawberry.enum_value(
        "quote", description="A quote from a source document that supports the record."
    )


_FIELDS = {str(member.value): member for member in SearchField}


@strawberry.type(description="A record a search found, how well it matched, and where.")
class SearchHit:
    node: Node = strawberry.field(description="The record.")
    score: float = strawberry.field(
        description="Relevance (higher is better; comparable within one search only)."
    )
    field: SearchField = strawberry.field(description="The text the best match is in.")
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
    query: str, types: list[SearchType] | None, first: int | None, after: str | None
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
    types: list[SearchType] | None,
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
