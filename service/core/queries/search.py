"""Search across the text of every entity (case-insensitive substring, both engines)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, literal, select, union_all

from service.core import registry
from service.core.queries.paging import Ordering, SortKey
from service.core.registry import text
from service.core.text_match import contains_pattern

# Searched entities, in result order; each reads the text sources the registry names.
KINDS: tuple[str, ...] = (
    "plan",
    "strategy",
    "task",
    "law",
    "milestone",
    "budget",
    "target",
    "technology",
    "region",
    "organisation",
    "document",
)


def search_statement(query: str) -> tuple[Select[Any], Ordering]:
    """(kind number, id) of every record whose text contains ``query``, and its ordering."""
    pattern = contains_pattern(query)
    parts = [
        select(literal(number).label("kind"), entry.table.c.id.label("id")).where(
            text.contains(entry, entry.search, pattern)
        )
        for number, name in enumerate(KINDS)
        for entry in (registry.entity(name),)
    ]
    hits = union_all(*parts).subquery("hits")
    ordering = Ordering((SortKey(hits.c.kind), SortKey(hits.c.id)))
    return select(hits.c.kind, hits.c.id), ordering
