"""law groups in the full-text search index; task CHECK names without a doubled prefix

Revision ID: 0010_review_law_group_search
Revises: 0009_lawgroups_law_groups
Create Date: 2026-12-02 08:05:00

Law groups are searched by slug, name, description and the quotes citing them: the groups
already stored are indexed here. Revision 0007 as first released created three CHECK
constraints on PostgreSQL as ``ck_task_ck_task_…`` (the naming convention applied to a name
that already had it); databases migrated then get the models' names.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_review_law_group_search"
down_revision: str | None = "0009_lawgroups_law_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TASK_CHECKS = ("task_kind", "depth_positive", "outline_position_positive")


def _rename_doubled_task_checks() -> None:
    bind = op.get_bind()
    present = {check["name"] for check in sa.inspect(bind).get_check_constraints("task")}
    for name in _TASK_CHECKS:
        doubled = f"ck_task_ck_task_{name}"
        if doubled in present:
            op.execute(f'ALTER TABLE task RENAME CONSTRAINT "{doubled}" TO "ck_task_{name}"')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rename_doubled_task_checks()
    from service.core.search_index import refresh_sync

    refresh_sync(op.get_bind(), ("law_group",))


def downgrade() -> None:
    op.execute("DELETE FROM search_text WHERE record_table = 'law_group'")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
