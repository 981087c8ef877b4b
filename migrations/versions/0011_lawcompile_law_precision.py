"""a law's enactment precision holds only the date precisions, as a milestone's and a target's

Revision ID: 0011_lawcompile_law_precision
Revises: 0010_review_law_group_search
Create Date: 2026-12-02 17:00:00

``law.enacted_precision`` was a free VARCHAR(10), so GraphQL's ``DatePrecision`` could meet a
value it cannot represent. It gets the CHECK the other precision columns have. SQLite adds a
CHECK only with a new column: the values move to one that has it, which then takes the old
column's name (no table rebuild: rebuilding ``law`` would cascade the deletes of its aliases,
links and citations, and drop its data-version triggers).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_lawcompile_law_precision"
down_revision: str | None = "0010_review_law_group_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMN = "enacted_precision"
_CHECK = "ck_law_date_precision"
_PRECISIONS = ("day", "month", "quarter", "half", "year")
_COMMENT = "How precisely the enactment date is known (day, month, quarter, half, year)."


def _condition(column: str) -> str:
    return f"{column} IN (" + ", ".join(f"'{p}'" for p in _PRECISIONS) + ")"


def _sqlite_replace_column(definition: str) -> None:
    """Move the values into a new column of ``definition`` (its name is ``{column}``), which
    then takes the old column's name."""
    moved = f"{_COLUMN}_moved"
    op.execute(f"ALTER TABLE law ADD COLUMN {definition.format(column=moved)}")
    op.execute(f"UPDATE law SET {moved} = {_COLUMN} WHERE {_COLUMN} IS NOT NULL")
    op.execute(f"ALTER TABLE law DROP COLUMN {_COLUMN}")
    op.execute(f"ALTER TABLE law RENAME COLUMN {moved} TO {_COLUMN}")


def _postgresql_length(length: int, was: int) -> None:
    op.alter_column(
        "law",
        _COLUMN,
        type_=sa.String(length=length),
        existing_type=sa.String(length=was),
        existing_nullable=True,
        existing_comment=_COMMENT,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_replace_column(
            f"{{column}} VARCHAR(7) CONSTRAINT {_CHECK} CHECK ({_condition('{column}')})"
        )
        return
    _postgresql_length(7, was=10)
    op.create_check_constraint(op.f(_CHECK), "law", _condition(_COLUMN))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_replace_column("{column} VARCHAR(10)")
        return
    op.drop_constraint(op.f(_CHECK), "law", type_="check")
    _postgresql_length(10, was=7)
