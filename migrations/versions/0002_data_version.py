"""data version bumped by triggers on every data table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:00:00

PostgreSQL: one trigger function and a FOR EACH STATEMENT trigger per table (COPY and
TRUNCATE fire them too, and a bulk load costs one bump per statement). SQLite has no
statement triggers: one row trigger per table and event. The version starts at the creation
time in microseconds so a recreated database never reuses a version an old one had.

Note for later revisions: SQLite batch mode recreates a table and loses its triggers; recreate
them (tests/service/core/test_data_version.py fails when a data table has none).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The data tables at this revision (a migration is a snapshot: not read from the models).
TABLES = (
    "budget",
    "citation",
    "document",
    "law",
    "law_alias",
    "milestone",
    "organisation",
    "plan",
    "region",
    "strategy",
    "target",
    "task",
    "task_law",
    "task_organisation",
    "task_region",
    "task_technology",
    "technology",
)
EVENTS = ("insert", "update", "delete")
FUNCTION = "stratagraph_bump_data_version"

_START = {
    "postgresql": "(extract(epoch from clock_timestamp()) * 1000000)::bigint",
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
}


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    dialect = op.get_bind().dialect.name
    op.execute(
        "INSERT INTO data_version (id, version, changed_at) "
        f"VALUES (1, {_START[dialect]}, CURRENT_TIMESTAMP)"
    )
    bump = "UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP"
    if dialect == "postgresql":
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {bump} WHERE id = 1; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()'
            )
        return
    for table in TABLES:
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER data_version_{table}_{event} AFTER {event.upper()} "
                f'ON "{table}" BEGIN {bump} WHERE id = 1; END'
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f'DROP TRIGGER IF EXISTS data_version_bump ON "{table}"')
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS data_version_{table}_{event}")
    op.drop_table("data_version")
