"""a target's date as the text gives it (text, EDTF, span), of which its year is derived

Revision ID: 0008_lawgroups_target_dates
Revises: 0007_api_outline
Create Date: 2026-12-02 06:45:00

``year`` alone could not tell "by 2027" from "in 2027" or "(2023~)". The date is now kept as
written, as EDTF and as the inclusive span that value covers; ``year`` stays, derived by the
loader (the year the span ends in). Existing rows keep their year and get no date: their text
is not known here, and ``stratagraph seed`` fills it from the curated files. SQLite adds each
column with its own ALTER TABLE (no table rebuild, so the data-version triggers stay).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_lawgroups_target_dates"
down_revision: str | None = "0007_api_outline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPAN_CHECK = "date_start IS NULL OR date_end IS NULL OR date_start <= date_end"
_COLUMNS = (
    (
        "date_text",
        sa.String(length=200),
        'When the target is for, as written ("by 2027", "(2023~)").',
    ),
    (
        "date_edtf",
        sa.String(length=100),
        'The target\'s date as an EDTF value ("../2027", "2023/..").',
    ),
    ("date_start", sa.Date(), "First day of the span the target's date covers; null when open."),
    ("date_end", sa.Date(), "Last day of the span the target's date covers; null when open."),
    (
        "date_precision",
        sa.String(length=7),
        "How precisely the target's date is known (day, month, quarter, half, year).",
    ),
)
_PRECISIONS = ("day", "month", "quarter", "half", "year")
_PRECISION_CHECK = "date_precision IN (" + ", ".join(f"'{p}'" for p in _PRECISIONS) + ")"
# The column-level CHECKs SQLite takes inside ADD COLUMN; PostgreSQL adds them afterwards.
_CHECKS = {
    "date_end": ("ck_target_date_start_not_after_end", _SPAN_CHECK),
    "date_precision": ("ck_target_date_precision", _PRECISION_CHECK),
}
_YEAR_BEFORE = "Year the target is for."
_YEAR_AFTER = "Year the target is for: the year its date ends in (null when open-ended)."


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, kind, comment in _COLUMNS:
        if sqlite and name in _CHECKS:
            check, condition = _CHECKS[name]
            type_sql = kind.compile(dialect=op.get_bind().dialect)
            op.execute(
                f"ALTER TABLE target ADD COLUMN {name} {type_sql} "
                f"CONSTRAINT {check} CHECK ({condition})"
            )
        else:
            op.add_column("target", sa.Column(name, kind, nullable=True, comment=comment))
    if not sqlite:
        for check, condition in _CHECKS.values():
            op.create_check_constraint(op.f(check), "target", condition)
        op.alter_column("target", "year", comment=_YEAR_AFTER, existing_comment=_YEAR_BEFORE)
    op.create_index("ix_target_date_start", "target", ["date_start"])
    op.create_index("ix_target_date_end", "target", ["date_end"])


def downgrade() -> None:
    op.drop_index("ix_target_date_end", table_name="target")
    op.drop_index("ix_target_date_start", table_name="target")
    if op.get_bind().dialect.name == "sqlite":
        for name, _kind, _comment in reversed(_COLUMNS):
            op.execute(f'ALTER TABLE target DROP COLUMN "{name}"')
        return
    op.alter_column("target", "year", comment=_YEAR_BEFORE, existing_comment=_YEAR_AFTER)
    for check, _condition in _CHECKS.values():
        op.drop_constraint(op.f(check), "target", type_="check")
    for name, _kind, _comment in reversed(_COLUMNS):
        op.drop_column("target", name)
