"""Many-to-many link tables between tasks and shared vocabularies or laws."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, Table

from service.core.models.base import Base


def _task_link(name: str, other_table: str) -> Table:
    other_column = f"{other_table}_id"
    return Table(
        name,
        Base.metadata,
        Column(
            "task_id",
            Integer,
            ForeignKey("task.id", ondelete="CASCADE"),
            primary_key=True,
            comment="The linked task.",
        ),
        Column(
            other_column,
            Integer,
            ForeignKey(f"{other_table}.id", ondelete="CASCADE"),
            primary_key=True,
            comment=f"The linked {other_table}.",
        ),
        # The primary key indexes task_id first; lookups from the other side need their own index.
        Index(f"ix_{name}_{other_column}", other_column),
    )


task_law = _task_link("task_law", "law")
task_technology = _task_link("task_technology", "technology")
task_region = _task_link("task_region", "region")
task_organisation = _task_link("task_organisation", "organisation")
