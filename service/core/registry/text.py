"""SQL conditions over an entity's text sources (search and text filters)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, FromClause, Table, exists, false, func, or_

from service.core.registry.entities import ENTITIES
from service.core.registry.spec import EntityInfo, TextSource, Through, ToMany


def contains(
    entry: EntityInfo,
    sources: tuple[TextSource, ...],
    pattern: str,
    table: FromClause | None = None,
) -> ColumnElement[bool]:
    """Rows of ``entry`` (over ``table``, default its own) where any source matches the LIKE
    ``pattern`` case-insensitively; ``pattern`` is lower-case and escapes with a backslash."""
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
                .where(func.lower(related.c[source.column]).like(pattern, escape="\\"))
            )
        else:
            conditions.append(func.lower(rows.c[source]).like(pattern, escape="\\"))
    return or_(false(), *conditions)
