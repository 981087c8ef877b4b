"""full-text search index: search_text with FTS5 (SQLite) or a GIN tsvector index (PostgreSQL)

Revision ID: 0006_api_search
Revises: 0005_api_law_dates
Create Date: 2026-12-01 22:40:00

``search_text`` holds each searchable text of each record with its folded form (see
``service.core.models.search``). The engine-specific full-text structures index ``folded``:
SQLite an external-content FTS5 table ``search_fts`` (rebuilt by the writer after a change),
PostgreSQL a GIN index over ``to_tsvector('simple', folded)``. Neither is in the models; the
migration environment leaves them out of the drift check. Existing data is indexed here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_api_search"
down_revision: str | None = "0005_api_law_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTION = "stratagraph_bump_data_version"
# SQLite's bump as revision 0003_harden_runtime installs it (changed_at monotonic, the change
# before it kept); PostgreSQL's triggers share the function that revision replaced.
_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
# The tables this revision indexes; later revisions index what they add (0010: law_group).
SEARCHED_HERE = (
    "document",
    "technology",
    "region",
    "organisation",
    "law",
    "plan",
    "strategy",
    "task",
    "milestone",
    "budget",
    "target",
)
BUMP = (
    "UPDATE data_version SET version = version + 1, "
    f"previous_changed_at = CASE WHEN changed_at = {_NOW} "
    "THEN previous_changed_at ELSE changed_at END, "
    f"changed_at = max(changed_at, {_NOW}) WHERE id = 1"
)


def upgrade() -> None:
    op.create_table(
        "search_text",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key of the row."),
        sa.Column(
            "record_table",
            sa.String(length=32),
            nullable=False,
            comment="Table of the record the text belongs to, e.g. task.",
        ),
        sa.Column("record_id", sa.Integer(), nullable=False, comment="Id of that record."),
        sa.Column(
            "field",
            sa.String(length=32),
            nullable=False,
            comment="Which of its texts: code, title, description, name, quote, ...",
        ),
        sa.Column("text", sa.Text(), nullable=False, comment="The text as stored."),
        sa.Column(
            "folded",
            sa.Text(),
            nullable=False,
            comment="The text NFC-normalised and case-folded.",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_text")),
    )
    op.create_index("ix_search_text_record", "search_text", ["record_table", "record_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE INDEX search_fts_gin ON search_text "
            "USING gin (to_tsvector('simple'::regconfig, folded))"
        )  # the same statement as service.core.models.search.PG_INDEX_SQL
        op.execute(
            "CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "search_text" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_text', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )
        for event in ("insert", "update", "delete"):
            op.execute(
                f"CREATE TRIGGER data_version_search_text_{event} AFTER {event.upper()} "
                f'ON "search_text" BEGIN {BUMP}; END'
            )
    from service.core.search_index import refresh_sync

    refresh_sync(op.get_bind(), SEARCHED_HERE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS data_version_search_text_{event}")
    op.drop_index("ix_search_text_record", table_name="search_text")
    op.drop_table("search_text")
