"""Keeps ``search_text`` equal to the searchable texts of every record.

``SOURCES`` is what the entity registry says is searched (titles, descriptions, labels, codes
and slugs, names, law names as their law's) plus the quotes citing each searched record.
``refresh`` compares the index with the data and writes only the difference, inside the
caller's transaction, so a load that changes nothing writes nothing; every writer (the seed
loaders, the JSON import, the synthetic generator) calls it before it commits. SQLite's FTS5
table is rebuilt from ``search_text`` when anything changed; PostgreSQL's GIN index follows by
itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Executable, Select, Table, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from service.core import registry
from service.core.models import SearchText
from service.core.models.search import PG_INDEX, PG_INDEX_SQL
from service.core.registry.spec import EntityInfo, TextSource, Through, ToMany
from service.core.text_fold import fold
from service.core.text_match import ESCAPE, contains_pattern

BATCH = 5000
# Above this many new rows, PostgreSQL's GIN index is dropped and built once after the insert
# (maintaining it row by row made a national-scale load take tens of minutes).
BULK_ROWS = 20_000
INDEX: Table = SearchText.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Source:
    record_table: str
    field: str
    statement: Executable  # (record id, text) rows


@dataclass(frozen=True)
class FieldKind:
    """A kind of text a search hit is found in (``SearchHit.field``): the columns that hold
    it, and what it is, for the people reading a hit."""

    name: str
    description: str
    columns: tuple[str, ...]


FIELD_KINDS: tuple[FieldKind, ...] = (
    FieldKind("code", "Its code or slug.", ("slug", "code")),
    FieldKind("label", "Its numbering or tag as written.", ("label",)),
    FieldKind(
        "title",
        "Its title (a budget's purpose, a target's metric).",
        ("title", "purpose", "metric"),
    ),
    FieldKind(
        "name", "Its name (a vocabulary term's, or a law's name in a document).", ("name", "alias")
    ),
    FieldKind("abbreviation", "Its abbreviation.", ("abbreviation",)),
    FieldKind("description", "Its description or summary.", ("summary", "description")),
    FieldKind("status", "A law's status as written.", ("status_text",)),
    FieldKind("date", "A milestone's date as written.", ("date_text",)),
    FieldKind("amount", "A budget's amount as written.", ("amount_text",)),
    FieldKind("value", "A target's value as written.", ("value_text",)),
    FieldKind("publisher", "A document's publisher.", ("publisher",)),
    FieldKind("quote", "A quote from a source document that supports the record.", ()),
)
QUOTE = "quote"  # the kind of the quotes citing a record
FIELD_OF_COLUMN: dict[str, str] = {c: kind.name for kind in FIELD_KINDS for c in kind.columns}


def text_fields(entry: EntityInfo, sources: tuple[TextSource, ...]) -> tuple[str, ...]:
    """The search fields that hold ``sources`` of ``entry``."""
    columns = (s.column if isinstance(s, Through) else s for s in sources)
    return tuple(dict.fromkeys(FIELD_OF_COLUMN[column] for column in columns))


def _source(entry: EntityInfo, source: TextSource) -> Source:
    if isinstance(source, Through):
        relation = entry.relation(source.relation)
        assert isinstance(relation, ToMany), f"{entry.name}.{source.relation} is not to-many"
        related = registry.entity(relation.target).table
        statement = select(related.c[relation.column], related.c[source.column])
        return Source(entry.name, FIELD_OF_COLUMN[source.column], statement)
    column = entry.table.c[source]
    statement = select(entry.table.c.id, column).where(column.is_not(None))
    return Source(entry.name, FIELD_OF_COLUMN[source], statement)


def _quotes(entry: EntityInfo) -> Source:
    citation = registry.PROVENANCE.table
    subject = citation.c[registry.PROVENANCE.subjects[entry.name]]
    quote = citation.c[registry.PROVENANCE.quote_column]
    return Source(entry.name, QUOTE, select(subject, quote).where(subject.is_not(None)))


def _sources() -> tuple[Source, ...]:
    """What the registry says is searched, plus the quotes citing each searched record."""
    searched = [entry for entry in registry.ENTITIES.values() if entry.search]
    return (
        *(_source(entry, source) for entry in searched for source in entry.search),
        *(_quotes(entry) for entry in searched if entry.cited),
    )


SOURCES: tuple[Source, ...] = _sources()
SEARCHED_TABLES: tuple[str, ...] = tuple(dict.fromkeys(s.record_table for s in SOURCES))
FIELDS: tuple[str, ...] = tuple(dict.fromkeys(s.field for s in SOURCES))

Entry = tuple[str, int, str, str]  # record table, record id, field, text
COLUMNS = ("record_table", "record_id", "field", "text", "folded")


def _wanted(connection: Connection, tables: Collection[str]) -> Iterator[Entry]:
    for source in SOURCES:
        if source.record_table not in tables:
            continue
        for record_id, value in connection.execute(source.statement):
            if value:
                yield (source.record_table, record_id, source.field, value)


Change = tuple[int, list[Entry]]  # rows deleted, entries to add


def _difference(connection: Connection, tables: Collection[str] = SEARCHED_TABLES) -> Change:
    """Delete the index rows of ``tables`` no record holds any more; return how many, and what
    to add."""
    index = INDEX
    have: dict[Entry, list[int]] = {}
    for row in connection.execute(
        select(
            index.c.id, index.c.record_table, index.c.record_id, index.c.field, index.c.text
        ).where(index.c.record_table.in_(tables))
    ):
        have.setdefault((row.record_table, row.record_id, row.field, row.text), []).append(row.id)
    wanted = dict.fromkeys(_wanted(connection, tables))
    stale = [i for entry, ids in have.items() for i in (ids if entry not in wanted else ids[1:])]
    for start in range(0, len(stale), BATCH):
        connection.execute(delete(index).where(index.c.id.in_(stale[start : start + BATCH])))
    return len(stale), [entry for entry in wanted if entry not in have]


def _row(entry: Entry) -> tuple[str, int, str, str, str]:
    record_table, record_id, field, value = entry
    return record_table, record_id, field, value, fold(value)


def _insert(connection: Connection, fresh: list[Entry]) -> None:
    """Add the entries in batches. PostgreSQL gets one multi-row INSERT per batch: asyncpg's
    executemany runs a statement per row, and the data-version trigger fires per statement.
    SQLite's executemany is its fast path (rendering a multi-row INSERT costs more than it
    saves), and its triggers fire per row either way."""
    multi_row = connection.dialect.name != "sqlite"
    for start in range(0, len(fresh), BATCH):
        rows = [dict(zip(COLUMNS, _row(e), strict=True)) for e in fresh[start : start + BATCH]]
        if multi_row:
            connection.execute(insert(INDEX).values(rows))
        else:
            connection.execute(insert(INDEX), rows)


def _finish(connection: Connection, changed: int) -> int:
    if changed and connection.dialect.name == "sqlite":
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES ('rebuild')"))
    return changed


def refresh_sync(connection: Connection, tables: Collection[str] = SEARCHED_TABLES) -> int:
    """Bring ``search_text`` in step with the data of ``tables``; return how many rows changed.

    A migration names the tables it indexes, so that it reads only what exists at its revision.
    """
    deleted, fresh = _difference(connection, tables)
    _insert(connection, fresh)
    return _finish(connection, deleted + len(fresh))


async def refresh(connection: AsyncConnection) -> int:
    """``refresh_sync`` for the async writers. On PostgreSQL a large addition (a national-scale
    load) goes in by COPY, with the GIN index dropped first and built once afterwards."""
    deleted, fresh = await connection.run_sync(_difference)
    if connection.dialect.name == "postgresql" and len(fresh) > BULK_ROWS:
        await connection.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        # COPY runs inside the caller's transaction (SQLAlchemy began it with the reads above).
        assert driver is not None
        assert driver.is_in_transaction()
        await driver.copy_records_to_table(
            INDEX.name, records=map(_row, fresh), columns=list(COLUMNS)
        )
        await connection.execute(text(PG_INDEX_SQL))
    else:
        await connection.run_sync(_insert, fresh)
    return await connection.run_sync(_finish, deleted + len(fresh))


def records_matching(record_table: str, fields: tuple[str, ...], words: str) -> Select[Any]:
    """Ids of ``record_table`` rows with ``words`` (any text, folded) inside one of ``fields``:
    the Unicode-correct substring filter (``TaskFilter.text``)."""
    index = INDEX
    pattern = contains_pattern(fold(words))
    return select(index.c.record_id).where(
        index.c.record_table == record_table,
        index.c.field.in_(fields),
        index.c.folded.like(pattern, escape=ESCAPE),
    )


__all__ = ["FIELDS", "SEARCHED_TABLES", "SOURCES", "records_matching", "refresh", "refresh_sync"]
