"""law enactment as a fuzzy date (text, EDTF, span) instead of one invented day

Revision ID: 0005_api_law_dates
Revises: 0004_registry
Create Date: 2026-12-01 22:30:00

``enacted_on`` held the first day of a month the text gives ("October 2021" became
2021-10-01). The enactment is now kept as written, as EDTF, and as the inclusive span that
value covers. Existing rows are converted from (enacted_on, enacted_precision). SQLite drops the
column with its own ALTER TABLE (3.35+), so the table's data-version triggers stay in place.
"""

import calendar
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0005_api_law_dates"
down_revision: str | None = "0004_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_law = sa.table(
    "law",
    sa.column("id", sa.Integer()),
    sa.column("enacted_on", sa.Date()),
    sa.column("enacted_precision", sa.String()),
    sa.column("enacted_edtf", sa.String()),
    sa.column("enacted_start", sa.Date()),
    sa.column("enacted_end", sa.Date()),
)


def _span(day: date, precision: str | None) -> tuple[str, date, date]:
    if precision == "year":
        return f"{day:%Y}", date(day.year, 1, 1), date(day.year, 12, 31)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return f"{day:%Y-%m}", day.replace(day=1), day.replace(day=last)
    return day.isoformat(), day, day


def _drop_column(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    op.add_column(
        "law",
        sa.Column(
            "enacted_text",
            sa.String(length=200),
            nullable=True,
            comment='When it was enacted, as written ("October 2021").',
        ),
    )
    op.add_column(
        "law",
        sa.Column(
            "enacted_edtf",
            sa.String(length=100),
            nullable=True,
            comment='The enactment date as an EDTF value ("2021-10").',
        ),
    )
    op.add_column(
        "law",
        sa.Column(
            "enacted_start",
            sa.Date(),
            nullable=True,
            comment="First day of the span the enactment date covers.",
        ),
    )
    op.add_column(
        "law",
        sa.Column(
            "enacted_end",
            sa.Date(),
            nullable=True,
            comment="Last day of the span the enactment date covers.",
        ),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_law.c.id, _law.c.enacted_on, _law.c.enacted_precision).where(
            _law.c.enacted_on.is_not(None)
        )
    ).all()
    for row in rows:
        edtf, start, end = _span(row.enacted_on, row.enacted_precision)
        bind.execute(
            _law.update()
            .where(_law.c.id == row.id)
            .values(enacted_edtf=edtf, enacted_start=start, enacted_end=end)
        )
    _drop_column("law", "enacted_on")


def downgrade() -> None:
    op.add_column(
        "law",
        sa.Column(
            "enacted_on", sa.Date(), nullable=True, comment="When it was enacted, if it was."
        ),
    )
    op.execute("UPDATE law SET enacted_on = enacted_start")
    for column in ("enacted_end", "enacted_start", "enacted_edtf", "enacted_text"):
        _drop_column("law", column)
