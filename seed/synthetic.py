"""Load the deterministic synthetic dataset (``small`` or ``large``) in one transaction.

Rows come from ``synthetic_data.generate``. PostgreSQL receives them with COPY through the
asyncpg connection that SQLAlchemy's transaction is already using (several times faster than
multi-row INSERTs); SQLite receives batched ``executemany`` INSERTs. Foreign keys and CHECK
constraints stay on throughout. The target must be empty: the generator assigns row ids itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from migrations import runner as migrate
from seed.errors import SeedError
from seed.synthetic_data import SIZES, Row, SyntheticDataset, generate
from service.core import search_index
from service.core.data_version import one_bump_for_bulk_load
from service.core.models import Base
from service.core.row_rules import row_problems

BATCH_ROWS = 10_000
# Summary order for the one-line report.
_REPORTED = {
    "plan": "plans",
    "strategy": "strategies",
    "task": "tasks",
    "milestone": "milestones",
    "budget": "budgets",
    "law": "laws",
    "task_law": "task-law links",
    "citation": "citations",
}


class SyntheticError(SeedError):
    """The synthetic dataset cannot be loaded as asked (unknown size, schema, data present)."""

    def __init__(self, problem: str) -> None:
        super().__init__([problem])


@dataclass(frozen=True)
class SyntheticReport:
    size: str
    backend: str
    counts: dict[str, int]
    generate_seconds: float
    load_seconds: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def __str__(self) -> str:
        parts = ", ".join(f"{self.counts[t]:,} {label}" for t, label in _REPORTED.items())
        return (
            f"synthetic {self.size} dataset loaded into {self.backend}: {parts} "
            f"({self.rows:,} rows; generated in {self.generate_seconds:.1f} s, "
            f"written in {self.load_seconds:.1f} s)"
        )


def check_size(size: str) -> str:
    if size not in SIZES:
        allowed = ", ".join(SIZES)
        raise SyntheticError(f"synthetic size {size!r} is unknown; choose one of: {allowed}")
    return size


async def load_synthetic(engine: AsyncEngine, size: str) -> SyntheticReport:
    """Generate the ``size`` dataset and load it into the empty, migrated database."""
    check_size(size)
    started = time.perf_counter()
    dataset = await asyncio.to_thread(generate, size)
    _check_rules(dataset)
    generated = time.perf_counter()
    await _require_head_revision(engine)
    async with engine.begin() as connection:
        await _refuse_unless_empty(connection, engine)
        async with one_bump_for_bulk_load(connection):
            await write_dataset(connection, dataset)
            await search_index.refresh(connection)
    finished = time.perf_counter()
    return SyntheticReport(
        size=size,
        backend=engine.dialect.name,
        counts=dataset.counts(),
        generate_seconds=generated - started,
        load_seconds=finished - generated,
    )


def _check_rules(dataset: SyntheticDataset) -> None:
    """The generated rows obey the model's rules like curated and imported ones."""
    problems = [
        problem
        for table, columns, rows in dataset.tables()
        for problem in row_problems(Base.metadata.tables[table], columns, rows)
    ]
    if problems:
        raise SeedError([f"synthetic {dataset.size} dataset: {p}" for p in problems])


async def _require_head_revision(engine: AsyncEngine) -> None:
    current, head = await migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        raise SyntheticError(
            f"cannot load synthetic data into {where}: its schema is at revision "
            f"{current or 'none'}, not {head}; run `stratagraph migrate` first"
        )


async def _refuse_unless_empty(connection: AsyncConnection, engine: AsyncEngine) -> None:
    occupied = []
    for name in ("document", "plan", "law", "technology", "region", "organisation"):
        table = Base.metadata.tables[name]
        rows = (await connection.execute(select(func.count()).select_from(table))).scalar_one()
        if rows:
            occupied.append(f"{rows:,} {name} rows")
    if occupied:
        where = engine.url.render_as_string(hide_password=True)
        raise SyntheticError(
            f"cannot load synthetic data into {where}: it already holds data "
            f"({', '.join(occupied)}); use an empty database"
        )


async def write_dataset(connection: AsyncConnection, dataset: SyntheticDataset) -> None:
    """Insert every table of ``dataset`` inside the caller's transaction, then ANALYZE."""
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        # A server-wide statement timeout must not cut a large load short. Running a statement
        # here also makes SQLAlchemy open its transaction before COPY uses the raw connection.
        await connection.execute(text("SET LOCAL statement_timeout = 0"))
    for table, columns, rows in dataset.tables():
        if not rows:
            continue
        if postgresql:
            await _copy(connection, table, columns, rows)
        else:
            await _insert(connection, table, columns, rows)
    if postgresql:
        await _advance_id_sequences(connection, dataset)
    await connection.execute(text("ANALYZE"))


async def _insert(
    connection: AsyncConnection, table: str, columns: Sequence[str], rows: list[Row]
) -> None:
    statement = insert(Base.metadata.tables[table])
    for start in range(0, len(rows), BATCH_ROWS):
        batch = [dict(zip(columns, row, strict=True)) for row in rows[start : start + BATCH_ROWS]]
        await connection.execute(statement, batch)


async def _copy(
    connection: AsyncConnection, table: str, columns: Sequence[str], rows: list[Row]
) -> None:
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    # COPY must run inside the transaction SQLAlchemy began, or a failure half-way would
    # leave rows behind.
    if driver is None or not driver.is_in_transaction():
        raise SyntheticError("internal: COPY would run outside the loading transaction")
    await driver.copy_records_to_table(table, records=rows, columns=list(columns))


async def _advance_id_sequences(connection: AsyncConnection, dataset: SyntheticDataset) -> None:
    """Explicit ids bypass the sequences; move them past the loaded rows for later inserts."""
    for table, columns, rows in dataset.tables():
        if rows and columns[0] == "id":
            await connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), :last)"),
                {"last": rows[-1][0]},
            )
