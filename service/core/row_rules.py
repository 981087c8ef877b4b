"""The model's rules for rows about to be written by a bulk load (the synthetic generator):
natural keys that are real slugs and codes, http(s) URLs, and no parent cycles.

Derived from the tables: a ``slug`` or ``code`` column, a column whose info says
``"format": "url"``, and a foreign key from a table to itself (a parent link).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table

from service.core.cycles import find_cycles
from service.core.identifiers import is_code, is_slug
from service.core.text_rules import url_problem

MAX_REPORTED = 20


def _column_problem(name: str, info: Mapping[str, Any], value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if name == "slug" and not is_slug(value):
        return f"{value!r} is not a slug"
    if name == "code" and not is_code(value):
        return f"{value!r} is not a code"
    if info.get("format") == "url":
        return url_problem(value)
    return None


def row_problems(table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """At most ``MAX_REPORTED`` problems, each naming the table, the row id and the column."""
    problems: list[str] = []
    checked = [
        (index, name, table.c[name].info)
        for index, name in enumerate(columns)
        if name in ("slug", "code") or table.c[name].info.get("format") == "url"
    ]
    id_at = columns.index("id") if "id" in columns else None
    for row in rows:
        for index, name, info in checked:
            problem = _column_problem(name, info, row[index])
            if problem is not None and len(problems) < MAX_REPORTED:
                row_id = row[id_at] if id_at is not None else "?"
                problems.append(f"{table.name} id {row_id} column {name!r}: {problem}")
    problems.extend(_cycle_problems(table, columns, rows))
    return problems


def _cycle_problems(
    table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[str]:
    if "id" not in columns:
        return []
    problems = []
    id_at = columns.index("id")
    for key in table.foreign_keys:
        if key.column.table is not table or key.parent.name not in columns:
            continue
        parent_at = columns.index(key.parent.name)
        parents = {row[id_at]: row[parent_at] for row in rows}
        for cycle in find_cycles(parents)[:MAX_REPORTED]:
            shown = " -> ".join(str(row_id) for row_id in cycle)
            problems.append(f"{table.name} column {key.parent.name!r}: a cycle of ids ({shown})")
    return problems
