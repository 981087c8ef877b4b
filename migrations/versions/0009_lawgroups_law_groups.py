"""named groups of laws ("four laws") with their member laws, cited like every record

Revision ID: 0009_lawgroups_law_groups
Revises: 0008_lawgroups_target_dates
Create Date: 2026-12-02 07:00:00

``law_group`` and its link table ``law_group_member``, each with the data-version triggers
every data table has, and a ``law_group_id`` subject on ``citation`` (its exactly-one-subject
CHECK counts the new column). SQLite cannot change a CHECK in place: the citation table is
rebuilt from its own DDL with the column added, and its indexes and triggers are put back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_lawgroups_law_groups"
down_revision: str | None = "0008_lawgroups_target_dates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_TABLES = ("law_group", "law_group_member")
_FUNCTION = "stratagraph_bump_data_version"
_COUNT = "(CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END)"
_LAST_SUBJECT = _COUNT.format(column="organisation_id")
_GROUP_SUBJECT = _COUNT.format(column="law_group_id")
_CHECK = "ck_citation_exactly_one_subject"
_SUBJECTS = (
    "plan",
    "strategy",
    "task",
    "milestone",
    "budget",
    "law",
    "law_alias",
    "target",
    "technology",
    "region",
    "organisation",
)


def _one_subject(subjects: Sequence[str]) -> str:
    return " + ".join(_COUNT.format(column=f"{s}_id") for s in subjects) + " = 1"


def _create_tables() -> None:
    op.create_table(
        "law_group",
        sa.Column("id", sa.Integer(), nullable=False, comment="Surrogate key of the row."),
        sa.Column("slug", sa.String(length=100), nullable=False, comment="Stable short name."),
        sa.Column(
            "name",
            sa.String(length=500),
            nullable=False,
            comment='The group\'s name as the text writes it ("four laws").',
        ),
        sa.Column(
            "stated_count",
            sa.Integer(),
            nullable=True,
            comment="How many laws the text says the group holds; null when it gives no number.",
        ),
        sa.Column("description", sa.Text(), nullable=True, comment="What the group is for."),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the record last changed (UTC).",
        ),
        sa.CheckConstraint(
            "stated_count IS NULL OR stated_count >= 1",
            name=op.f("ck_law_group_stated_count_positive"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_group")),
        sa.UniqueConstraint("slug", name=op.f("uq_law_group_slug")),
    )
    op.create_table(
        "law_group_member",
        sa.Column("law_group_id", sa.Integer(), nullable=False, comment="The linked law group."),
        sa.Column("law_id", sa.Integer(), nullable=False, comment="The linked law."),
        sa.ForeignKeyConstraint(
            ["law_group_id"],
            ["law_group.id"],
            name=op.f("fk_law_group_member_law_group_id_law_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["law_id"],
            ["law.id"],
            name=op.f("fk_law_group_member_law_id_law"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("law_group_id", "law_id", name=op.f("pk_law_group_member")),
    )
    op.create_index("ix_law_group_member_law_id", "law_group_member", ["law_id"])


def _sqlite_rows(sql: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in op.get_bind().execute(sa.text(sql))]


def _sqlite_triggers_like_citations(tables: Sequence[str]) -> None:
    """The data-version triggers of ``tables``: the citation table's, aimed at each."""
    triggers = _sqlite_rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'citation' AND name LIKE 'data_version_%'"
    )
    assert triggers, "the citation table has no data-version triggers"
    for table in tables:
        for _name, sql in triggers:
            op.execute(
                sql.replace("data_version_citation_", f"data_version_{table}_").replace(
                    'ON "citation"', f'ON "{table}"'
                )
            )


def _sqlite_rebuild_citation(change: dict[str, str], columns: Sequence[str]) -> None:
    """Rebuild ``citation`` from its DDL with each ``change`` (old text -> new) applied,
    copying ``columns``; its indexes and triggers are recreated as they were."""
    ((_, table_sql),) = _sqlite_rows(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = 'citation'"
    )
    kept = _sqlite_rows(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'citation' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    )
    new_sql = table_sql
    for old, new in change.items():
        assert new_sql.count(old) == 1, old
        new_sql = new_sql.replace(old, new)
    # As created ``citation``; once renamed, SQLite keeps the name quoted.
    header = next(
        h for h in ("CREATE TABLE citation (", 'CREATE TABLE "citation" (') if new_sql.startswith(h)
    )
    op.execute(new_sql.replace(header, "CREATE TABLE citation_rebuilt (", 1))
    listed = ", ".join(columns)
    op.execute(f"INSERT INTO citation_rebuilt ({listed}) SELECT {listed} FROM citation")
    op.execute("DROP TABLE citation")
    op.execute("ALTER TABLE citation_rebuilt RENAME TO citation")
    for _name, sql in kept:
        op.execute(sql)


_OLD_COLUMNS = ("id", "document_id", "quote", *(f"{s}_id" for s in _SUBJECTS), "updated_at")
_GROUP_COLUMN_SQL = "\tlaw_group_id INTEGER, \n"
_GROUP_FK_SQL = (
    ", \n\tCONSTRAINT fk_citation_law_group_id_law_group FOREIGN KEY(law_group_id) "
    "REFERENCES law_group (id) ON DELETE CASCADE"
)
_ADD_TO_SQLITE = {
    "\tupdated_at DATETIME NOT NULL, \n": _GROUP_COLUMN_SQL + "\tupdated_at DATETIME NOT NULL, \n",
    f"{_LAST_SUBJECT} = 1)": f"{_LAST_SUBJECT} + {_GROUP_SUBJECT} = 1)",
    " ON DELETE CASCADE\n)": " ON DELETE CASCADE" + _GROUP_FK_SQL + "\n)",
}


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild_citation(_ADD_TO_SQLITE, _OLD_COLUMNS)
        _sqlite_triggers_like_citations(_NEW_TABLES)
    else:
        op.add_column(
            "citation",
            sa.Column(
                "law_group_id",
                sa.Integer(),
                nullable=True,
                comment="The law group this quote supports (exactly one subject is set).",
            ),
        )
        op.create_foreign_key(
            op.f("fk_citation_law_group_id_law_group"),
            "citation",
            "law_group",
            ["law_group_id"],
            ["id"],
            ondelete="CASCADE",
        )
        op.drop_constraint(op.f(_CHECK), "citation", type_="check")
        op.create_check_constraint(
            op.f(_CHECK), "citation", _one_subject((*_SUBJECTS, "law_group"))
        )
        for table in _NEW_TABLES:
            op.execute(
                "CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {_FUNCTION}()'
            )
    op.create_index("ix_citation_law_group_id", "citation", ["law_group_id"])


def downgrade() -> None:
    op.execute("DELETE FROM citation WHERE law_group_id IS NOT NULL")
    op.drop_index("ix_citation_law_group_id", table_name="citation")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild_citation({new: old for old, new in _ADD_TO_SQLITE.items()}, _OLD_COLUMNS)
    else:
        op.drop_constraint(op.f(_CHECK), "citation", type_="check")
        op.create_check_constraint(op.f(_CHECK), "citation", _one_subject(_SUBJECTS))
        op.drop_constraint(
            op.f("fk_citation_law_group_id_law_group"), "citation", type_="foreignkey"
        )
        op.drop_column("citation", "law_group_id")
    op.drop_index("ix_law_group_member_law_id", table_name="law_group_member")
    op.drop_table("law_group_member")
    op.drop_table("law_group")
