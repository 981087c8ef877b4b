"""Batched row loads behind the schema's relation fields (one statement per relation/level)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Row, Select, Table, select
from strawberry.types import Info

from schema.context import Context
from schema.loaders import BatchLoader
from service.core.queries import catalog, fetch
from service.core.queries.paging import Ordering, PageRequest
from service.core.queries.reader import Reader

Loader = BatchLoader[Any, Any]


def context(info: Info[Any, Any]) -> Context:
    return cast(Context, info.context)


def by_id(info: Info[Any, Any], table: Table) -> Loader:
    async def batch(reader: Reader, ids: Sequence[int]) -> list[Row[Any] | None]:
        found = await fetch.rows_by_ids(reader, table, ids)
        return [found.get(i) for i in ids]

    return context(info).loaders.get(("id", table.name), batch)


def by_column(info: Info[Any, Any], table: Table, column: str) -> Loader:
    async def batch(reader: Reader, values: Sequence[Any]) -> list[Row[Any] | None]:
        found = await fetch.rows_by_column(reader, table, column, values)
        return [found.get(v) for v in values]

    return context(info).loaders.get(("column", table.name, column), batch)


def children(
    info: Info[Any, Any],
    name: Hashable,
    statement: Select[Any],
    parent: ColumnElement[Any],
    order: Sequence[ColumnElement[Any]],
) -> Loader:
    async def batch(reader: Reader, ids: Sequence[int]) -> list[list[Row[Any]]]:
        return await fetch.children(reader, statement, parent, ids, order)

    return context(info).loaders.get(("children", name), batch)


def child_pages(
    info: Info[Any, Any],
    name: Hashable,
    statement: Select[Any],
    parent: ColumnElement[Any],
    ordering: Ordering,
    page: PageRequest,
) -> Loader:
    async def batch(reader: Reader, ids: Sequence[int]) -> list[Any]:
        return await fetch.child_pages(reader, statement, parent, ids, ordering, page)

    return context(info).loaders.get(("pages", name, ordering, page), batch)


def child_counts(
    info: Info[Any, Any], name: Hashable, statement: Select[Any], parent: ColumnElement[Any]
) -> Loader:
    async def batch(reader: Reader, ids: Sequence[int]) -> list[int]:
        return await fetch.child_counts(reader, statement, parent, ids)

    return context(info).loaders.get(("counts", name), batch)


# The statements are made once: the query layer reuses what it builds from the same parts.


_CITATIONS = select(catalog.citation.c.id, catalog.citation.c.quote, catalog.citation.c.document_id)
_CITATION_ORDER = (catalog.citation.c.id,)


def citations(info: Info[Any, Any], table_name: str) -> Loader:
    """Citations (quote, document_id) of each record of ``table_name``."""
    parent = catalog.citation.c[f"{table_name}_id"]
    return children(info, ("citations", table_name), _CITATIONS, parent, _CITATION_ORDER)


_ALIASES = select(catalog.law_alias.c.alias, catalog.law_alias.c.document_id)


def law_aliases(info: Info[Any, Any]) -> Loader:
    alias = catalog.law_alias
    return children(info, "aliases", _ALIASES, alias.c.law_id, (alias.c.alias,))
