"""Counting the SQL statements an engine executes (for N+1 checks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def queries(self) -> list[str]:
        """Statements other than transaction control (BEGIN/SAVEPOINT/RELEASE/ROLLBACK)."""
        control = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")
        return [s for s in self.statements if not s.lstrip().upper().startswith(control)]


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    log = StatementLog()

    def _record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", _record)
    try:
        yield log
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _record)
