"""typed outline: each task's kind in its text, depth, label number and outline position

Revision ID: 0007_api_outline
Revises: 0006_api_search
Create Date: 2026-12-01 23:05:00

Existing rows are filled with the rule of ``service.core.outline`` (from labels and parents).
SQLite adds each column with its NOT NULL default and CHECK in ALTER TABLE ... ADD COLUMN (no
table rebuild, so the task table's data-version triggers and the rows that reference it stay
as they are).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_api_outline"
down_revision: str | None = "0006_api_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "task_statement",
    "core_task",
    "initiative",
    "list_item",
    "footnote",
    "table_column",
    "table_item",
)
_KIND_CHECK = "kind IN (" + ", ".join(f"'{k}'" for k in KINDS) + ")"
_COMMENTS = {
    "kind": "What the item is in its text: a task statement, core task, initiative, list "
    "item, footnote, table column or table item.",
    "depth": "Level in the outline: 1 directly under the strategy, 2 for its sub-items, ...",
    "number": "The label's ordinal, normalised (① is 1, (iii) is 3, ** is 2); null for tags "
    "and bullets.",
    "outline_position": "1-based position in the strategy's outline read top to bottom (a task "
    "before its sub-items).",
}
_task = sa.table(
    "task",
    sa.column("id", sa.Integer()),
    sa.column("strategy_id", sa.Integer()),
    sa.column("parent_id", sa.Integer()),
    sa.column("position", sa.Integer()),
    sa.column("label", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("depth", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("outline_position", sa.Integer()),
)


def _fill() -> None:
    from service.core.outline import label_number, outline_positions, task_kind

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _task.c.id, _task.c.strategy_id, _task.c.parent_id, _task.c.position, _task.c.label
        )
    ).all()
    placed = outline_positions([(r.id, r.strategy_id, r.parent_id, r.position) for r in rows])
    for row in rows:
        depth, outline = placed[row.id]
        bind.execute(
            _task.update()
            .where(_task.c.id == row.id)
            .values(
                kind=task_kind(row.label, depth).value,
                depth=depth,
                number=label_number(row.label),
                outline_position=outline,
            )
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE task ADD COLUMN kind VARCHAR(14) NOT NULL DEFAULT 'task_statement' "
            f"CONSTRAINT ck_task_task_kind CHECK ({_KIND_CHECK})"
        )
        op.execute(
            "ALTER TABLE task ADD COLUMN depth INTEGER NOT NULL DEFAULT 1 "
            "CONSTRAINT ck_task_depth_positive CHECK (depth >= 1)"
        )
        op.execute("ALTER TABLE task ADD COLUMN number INTEGER")
        op.execute(
            "ALTER TABLE task ADD COLUMN outline_position INTEGER NOT NULL DEFAULT 1 "
            "CONSTRAINT ck_task_outline_position_positive CHECK (outline_position >= 1)"
        )
        _fill()
    else:
        for name, kind in (
            ("kind", sa.String(length=14)),
            ("depth", sa.Integer()),
            ("number", sa.Integer()),
            ("outline_position", sa.Integer()),
        ):
            op.add_column("task", sa.Column(name, kind, nullable=True, comment=_COMMENTS[name]))
        _fill()
        for name in ("kind", "depth", "outline_position"):
            op.alter_column("task", name, nullable=False, existing_comment=_COMMENTS[name])
        # op.f: the names are final; the naming convention would prefix them a second time.
        op.create_check_constraint(op.f("ck_task_task_kind"), "task", _KIND_CHECK)
        op.create_check_constraint(op.f("ck_task_depth_positive"), "task", "depth >= 1")
        op.create_check_constraint(
            op.f("ck_task_outline_position_positive"), "task", "outline_position >= 1"
        )
    op.create_index("ix_task_kind", "task", ["kind"])
    op.create_index(
        "ix_task_strategy_id_outline_position", "task", ["strategy_id", "outline_position"]
    )


def downgrade() -> None:
    op.drop_index("ix_task_strategy_id_outline_position", table_name="task")
    op.drop_index("ix_task_kind", table_name="task")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("outline_position", "number", "depth", "kind"):
            op.execute(f'ALTER TABLE task DROP COLUMN "{name}"')
        return
    for name in (
        "ck_task_outline_position_positive",
        "ck_task_depth_positive",
        "ck_task_task_kind",
    ):
        op.drop_constraint(op.f(name), "task", type_="check")
    for name in ("outline_position", "number", "depth", "kind"):
        op.drop_column("task", name)
