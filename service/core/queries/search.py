"""Search across the text of every entity (case-insensitive substring, both engines)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, exists, literal, or_, select, union_all

from service.core.queries import catalog
from service.core.queries.paging import Ordering, SortKey
from service.core.text_match import contains, contains_pattern

# Searched tables, in result order, with their text columns.
SEARCHED: Mapping[str, tuple[str, ...]] = {
    "plan": ("slug", "title", "summary"),
    "strategy": ("code", "title", "description"),
    "task": ("code", "title", "description"),
    "law": ("slug", "title", "status_text", "description"),
    "milestone": ("title", "date_text"),
    "budget": ("purpose", "amount_text"),
    "target": ("metric", "value_text"),
    "technology": ("slug", "name"),
    "region": ("slug", "name"),
    "organisation": ("slug", "name", "abbreviation"),
    "document": ("slug", "title", "publisher"),
}
KINDS: tuple[str, ...] = tuple(SEARCHED)


def _matches(table: Table, columns: tuple[str, ...], pattern: str) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [contains(table.c[c], pattern) for c in columns]
    if table is catalog.law:
        alias = catalog.law_alias
        conditions.append(
            exists().where(alias.c.law_id == table.c.id).where(contains(alias.c.alias, pattern))
        )
    return or_(*conditions)


def search_statement(text: str) -> tuple[Select[Any], Ordering]:
    """(kind number, id) of every record whose text contains ``text``, and its ordering."""
    pattern = contains_pattern(text)
    parts = [
        select(literal(number).label("kind"), table.c.id.label("id")).where(
            _matches(table, SEARCHED[name], pattern)
        )
        for number, name in enumerate(KINDS)
        for table in (catalog.TABLES[name],)
    ]
    hits = union_all(*parts).subquery("hits")
    ordering = Ordering((SortKey(hits.c.kind), SortKey(hits.c.id)))
    return select(hits.c.kind, hits.c.id), ordering
