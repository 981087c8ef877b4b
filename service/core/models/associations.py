"""Many-to-many link tables: tasks with shared vocabularies or laws, law groups with laws."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Table

from service.core.models.base import Base


def _link(name: str, table: str, other_table: str) -> Table:
    other_column = f"{other_table}_id"
    return Table(
        name,
        Base.metadata,
        Column(
            f"{table}_id",
            Integer,
            ForeignKey(f"{table}.id", ondelete="CASCADE"),
            primary_key=True,
            comment=f"The linked {table.replace('_', ' ')}.",
        ),
        Column(
            other_column,
            Integer,
            ForeignKey(f"{other_table}.id", ondelete="CASCADE"),
            primary_key=True,
            comment=f"The linked {other_table}.",
        ),
        # The primary key indexes the first column; lookups from the other side need their own.
        Index(f"ix_{name}_{other_column}", other_column),
    )


task_law = _link("task_law", "task", "law")
task_technology = _link("task_technology", "task", "technology")
task_region = _link("task_region", "task", "region")
task_organisation = _link("task_organisation", "task", "organisation")
law_group_member = _link("law_group_member", "law_group", "law")
