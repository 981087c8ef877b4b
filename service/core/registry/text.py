"""SQL conditions over an entity's text sources (search and text filters)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, FromClause, Table, exists, false, or_

from service.core import text_match
from service.core.registry.entities import ENTITIES
from service.core.registry.spec import EntityInfo, TextSource, Through, ToMany


def contains(
    entry: EntityInfo,
    sources: tuple[TextSource, ...],
    pattern: str,
    table: FromClause | None = None,
) -> ColumnElement[bool]:
    """Rows of ``entry`` (over ``table``, default its own) where any source matches the LIKE
    ``pattern`` (from ``text_match.contains_pattern``) case-insensitively."""
    rows = entry.table if table is None else table
    conditions: list[ColumnElement[bool]] = []
    for source in sources:
        if isinstance(source, Through):
            relation = entry.relation(source.relation)
            assert isinstance(relation, ToMany), f"{entry.name}.{source.relation} is not to-many"
            related: Table = ENTITIES[relation.target].table
            conditions.append(
                exists()
                .where(related.c[relation.column] == rows.c.id)
                .where(text_match.contains(related.c[source.column], pattern))
            )
        else:
            conditions.append(text_match.contains(rows.c[source], pattern))
    return or_(false(), *conditions)
