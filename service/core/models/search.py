"""The full-text search index: one row per searchable text of a record.

Rows are derived from the data tables (``service.core.search_index`` keeps them in step with
every load). ``folded`` is the text Unicode-normalised and case-folded in Python (NFC, full case
folding), so "ÄRGER", a final Σ, Turkish İ and decomposed accents match alike on both engines.
The engines index ``folded``: SQLite with an FTS5 table (``search_fts``), PostgreSQL with a GIN
index over its ``tsvector``. The migration creates them; so does ``create_all`` (the DDL
below, run after the table), which the models cannot otherwise describe.
"""

from __future__ import annotations

from sqlalchemy import DDL, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from service.core.models.base import Base


class SearchText(Base):
    __tablename__ = "search_text"
    __table_args__ = (Index("ix_search_text_record", "record_table", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Surrogate key of the row.")
    record_table: Mapped[str] = mapped_column(
        String(32), comment="Table of the record the text belongs to, e.g. task."
    )
    record_id: Mapped[int] = mapped_column(Integer, comment="Id of that record.")
    field: Mapped[str] = mapped_column(
        String(32), comment="Which of its texts: code, title, description, name, quote, ..."
    )
    text: Mapped[str] = mapped_column(Text, comment="The text as stored.")
    folded: Mapped[str] = mapped_column(Text, comment="The text NFC-normalised and case-folded.")


PG_INDEX = "search_fts_gin"
PG_INDEX_SQL = (
    f"CREATE INDEX {PG_INDEX} ON search_text USING gin (to_tsvector('simple'::regconfig, folded))"
)
SQLITE_FTS_SQL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_text', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
)
# SQLAlchemy's DDL constructor carries no annotations.
_PG_INDEX_DDL = DDL(PG_INDEX_SQL)  # type: ignore[no-untyped-call]
_SQLITE_FTS_DDL = DDL(SQLITE_FTS_SQL)  # type: ignore[no-untyped-call]
event.listen(SearchText.__table__, "after_create", _PG_INDEX_DDL.execute_if(dialect="postgresql"))
event.listen(SearchText.__table__, "after_create", _SQLITE_FTS_DDL.execute_if(dialect="sqlite"))
