"""data version: changed_at never goes back, and the change before it is kept

Revision ID: 0003_harden_runtime
Revises: 0002
Create Date: 2026-12-01 22:30:00

HTTP's Last-Modified has one-second resolution, so a date validates a copy only when no two
versions share a second (RFC 9110 §8.8.2.2). The bump now keeps ``changed_at`` monotonic (a
clock stepped back, or a PostgreSQL transaction that began before the last commit, does not
move it back) and records the change before it in ``previous_changed_at``; a version whose
second is shared with the one before is never "not modified since" a date. Within one
statement (SQLite row triggers) or one transaction (PostgreSQL), the bump time does not
change, and neither does ``previous_changed_at``. SQLite now stores milliseconds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_harden_runtime"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The data tables at this revision (a snapshot, as in 0002).
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

NOW = {
    "postgresql": "CURRENT_TIMESTAMP",
    "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')",
}
GREATEST = {"postgresql": "GREATEST", "sqlite": "max"}


def bump(dialect: str) -> str:
    now = NOW[dialect]
    return (
        "UPDATE data_version SET version = version + 1, "
        f"previous_changed_at = CASE WHEN changed_at = {now} "
        "THEN previous_changed_at ELSE changed_at END, "
        f"changed_at = {GREATEST[dialect]}(changed_at, {now}) WHERE id = 1"
    )


OLD_BUMP = (
    "UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP WHERE id = 1"
)


def _install(dialect: str, statement: str) -> None:
    if dialect == "postgresql":
        op.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {statement}; RETURN NULL; END $$"
        )
        return
    for table in TABLES:
        for event in EVENTS:
            name = f"data_version_{table}_{event}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(
                f'CREATE TRIGGER {name} AFTER {event.upper()} ON "{table}" BEGIN {statement}; END'
            )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column(
        "data_version",
        sa.Column(
            "previous_changed_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="When the version before this one was made (null: none is known)",
        ),
    )
    _install(dialect, bump(dialect))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _install(dialect, OLD_BUMP)
        op.drop_column("data_version", "previous_changed_at")
        return
    # SQLite recreates the table to drop a column: its triggers must not name it meanwhile.
    for table in TABLES:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS data_version_{table}_{event}")
    with op.batch_alter_table("data_version") as batch:
        batch.drop_column("previous_changed_at")
    _install(dialect, OLD_BUMP)
