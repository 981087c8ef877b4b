"""Keeps ``search_text`` equal to the searchable texts of every record.

``SOURCES`` says what is searched: titles, descriptions, labels, codes and slugs, names (law
names included, as their law's), and the quotes citing each record. ``refresh`` compares the
index with the data and writes only the difference, inside the caller's transaction, so a load
that changes nothing writes nothing; every writer (the seed loaders, the JSON import, the
synthetic generator) calls it before it commits. SQLite's FTS5 table is rebuilt from
``search_text`` when anything changed; PostgreSQL's GIN index follows by itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Executable, Select, Table, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core.models import (
    Budget,
    Citation,
    Document,
    Law,
    LawAlias,
    Milestone,
    Organisation,
    Plan,
    Region,
    SearchText,
    Strategy,
    Target,
    Task,
    Technology,
)
from service.core.text_fold import fold

BATCH = 5000
INDEX: Table = SearchText.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Source:
    record_table: str
    field: str
    statement: Executable  # (record id, text) rows


def _columns(model: Any, **fields: str) -> list[Source]:
    table = model.__table__
    return [
        Source(
            table.name,
            field,
            select(table.c.id, table.c[column]).where(table.c[column].is_not(None)),
        )
        for field, column in fields.items()
    ]


def _quotes(model: Any) -> Source:
    subject = Citation.__table__.c[f"{model.__tablename__}_id"]
    return Source(
        model.__tablename__,
        "quote",
        select(subject, Citation.quote).where(subject.is_not(None)),
    )


# Which texts of which records are searched (field names are SearchHit.field values).
SOURCES: tuple[Source, ...] = (
    *_columns(Document, code="slug", title="title", publisher="publisher"),
    *_columns(Plan, code="slug", title="title", description="summary"),
    *_columns(Strategy, code="code", label="label", title="title", description="description"),
    *_columns(Task, code="code", label="label", title="title", description="description"),
    *_columns(Law, code="slug", title="title", status="status_text", description="description"),
    Source("law", "name", select(LawAlias.law_id, LawAlias.alias)),
    *_columns(Milestone, title="title", date="date_text"),
    *_columns(Budget, title="purpose", amount="amount_text"),
    *_columns(Target, title="metric", value="value_text"),
    *_columns(Technology, code="slug", name="name"),
    *_columns(Region, code="slug", name="name"),
    *_columns(Organisation, code="slug", name="name", abbreviation="abbreviation"),
    *(
        _quotes(model)
        for model in (
            Plan,
            Strategy,
            Task,
            Milestone,
            Budget,
            Law,
            Target,
            Technology,
            Region,
            Organisation,
        )
    ),
)
SEARCHED_TABLES: tuple[str, ...] = tuple(dict.fromkeys(s.record_table for s in SOURCES))
FIELDS: tuple[str, ...] = tuple(dict.fromkeys(s.field for s in SOURCES))

Entry = tuple[str, int, str, str]  # record table, record id, field, text


def _wanted(connection: Connection) -> Iterator[Entry]:
    for source in SOURCES:
        for record_id, value in connection.execute(source.statement):
            if value:
                yield (source.record_table, record_id, source.field, value)


def refresh_sync(connection: Connection) -> int:
    """Bring ``search_text`` in step with the data; return how many rows changed."""
    index = INDEX
    have: dict[Entry, list[int]] = {}
    for row in connection.execute(
        select(index.c.id, index.c.record_table, index.c.record_id, index.c.field, index.c.text)
    ):
        have.setdefault((row.record_table, row.record_id, row.field, row.text), []).append(row.id)
    wanted = dict.fromkeys(_wanted(connection))
    stale = [i for entry, ids in have.items() for i in (ids if entry not in wanted else ids[1:])]
    fresh = [entry for entry in wanted if entry not in have]
    for start in range(0, len(stale), BATCH):
        connection.execute(delete(index).where(index.c.id.in_(stale[start : start + BATCH])))
    for start in range(0, len(fresh), BATCH):
        connection.execute(
            insert(index),
            [
                {"record_table": t, "record_id": i, "field": f, "text": v, "folded": fold(v)}
                for t, i, f, v in fresh[start : start + BATCH]
            ],
        )
    changed = len(stale) + len(fresh)
    if changed and connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return changed


async def refresh(connection: AsyncConnection) -> int:
    return await connection.run_sync(refresh_sync)


def records_matching(record_table: str, fields: tuple[str, ...], words: str) -> Select[Any]:
    """Ids of ``record_table`` rows with ``words`` (any text, folded) inside one of ``fields``:
    the Unicode-correct substring filter (``TaskFilter.text``)."""
    index = INDEX
    pattern = "%" + fold(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return select(index.c.record_id).where(
        index.c.record_table == record_table,
        index.c.field.in_(fields),
        index.c.folded.like(pattern, escape="\\"),
    )


__all__ = ["FIELDS", "SEARCHED_TABLES", "SOURCES", "records_matching", "refresh", "refresh_sync"]
