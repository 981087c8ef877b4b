"""Ranked full-text search over ``search_text``: whole words, case- and Unicode-insensitive.

The query is folded like the index (``text_fold.fold``) and handed to the engine's own
full-text matcher, so both sides are tokenised alike: SQLite FTS5 (``search_fts MATCH``, ranked
by BM25) or PostgreSQL (``to_tsvector('simple', folded) @@ plainto_tsquery(...)``, ranked by
``ts_rank``, served by the GIN index); a text equal to the whole query ranks first. Every word
must occur; "AI" matches the word "AI", never "maintain". Each record is one hit: its
best-scoring text, with the field it is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    case,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)

from service.core.models import SearchText
from service.core.queries.paging import Ordering, SortKey
from service.core.search_index import SEARCHED_TABLES
from service.core.text_fold import fold

KINDS: tuple[str, ...] = SEARCHED_TABLES  # result kinds, numbered by position
SCORE_SCALE = 1_000_000  # scores are kept as integers (exact, comparable cursors)
EXACT_BONUS = 100  # above any BM25 or ts_rank score of a partial match

_index = SearchText.__table__
_fts = table("search_fts", column("rowid", Integer))


def fts5_query(text: str) -> str:
    """An FTS5 expression: every whitespace-separated part a quoted phrase (no operators)."""
    return " ".join('"' + part.replace('"', '""') + '"' for part in fold(text).split())


def search_statement(
    text: str, dialect: str, kinds: Sequence[str] = ()
) -> tuple[Select[Any], Ordering]:
    """(kind number, id, field, text, folded text, rank) per matching record, best first, and
    its ordering.

    ``rank`` is the negated integer score, so the ordering is ascending on every key."""
    ix = _index.c
    score: Any
    if dialect == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), ix.folded)
        query = func.plainto_tsquery(literal_column("'simple'::regconfig"), fold(text))
        score = func.ts_rank(vector, query)
        statement = select(ix.record_table, ix.record_id, ix.field, ix.text, ix.folded).where(
            vector.op("@@")(query)
        )
    else:
        score = -func.bm25(literal_column("search_fts"))
        statement = (
            select(ix.record_table, ix.record_id, ix.field, ix.text, ix.folded)
            .select_from(_fts.join(_index, ix.id == _fts.c.rowid))
            .where(literal_column("search_fts").op("MATCH")(fts5_query(text)))
        )
    if kinds:
        statement = statement.where(ix.record_table.in_(kinds))
    # A text that is exactly the query (a code, a slug, a whole name) comes first.
    score = score + case((ix.folded == fold(text).strip(), EXACT_BONUS), else_=0)
    # BM25 is only defined in the SELECT that matches: rank there, pick the best per record above.
    matched = statement.add_columns(cast(-score * SCORE_SCALE, Integer).label("rank")).subquery(
        "matched"
    )
    m = matched.c
    ranked = select(
        matched,
        func.row_number()
        .over(partition_by=(m.record_table, m.record_id), order_by=(m.rank, m.field))
        .label("best"),
    ).subquery("ranked")
    kind = case({name: number for number, name in enumerate(KINDS)}, value=ranked.c.record_table)
    hits = (
        select(
            kind.label("kind"),
            ranked.c.record_id.label("id"),
            ranked.c.field,
            ranked.c.text,
            ranked.c.folded,
            ranked.c.rank,
        )
        .where(ranked.c.best == 1)
        .subquery("hits")
    )
    ordering = Ordering((SortKey(hits.c.rank), SortKey(hits.c.kind), SortKey(hits.c.id)))
    return select(hits), ordering
