"""Benchmark: load the synthetic dataset into fresh SQLite and PostgreSQL databases.

Measure (throw-away databases, dropped afterwards):

    .venv/bin/python benchmarks/seed_synthetic.py                # size large, both engines
    .venv/bin/python benchmarks/seed_synthetic.py --size small --engines sqlite

(Re)create the shared benchmark databases other benchmarks read, and leave them in place (run it
after a new migration lands). Each is built beside the live one and swapped in at the end, so
readers are interrupted only for that moment: /work/bench/large.db is replaced by a rename (open
readers keep the old file), stratagraph_bench_large by terminating its sessions and renaming:

    .venv/bin/python benchmarks/seed_synthetic.py --keep

``--sqlite PATH`` and ``--postgresql URL`` choose other targets; the PostgreSQL server's admin
database (for CREATE/DROP DATABASE) is the URL with database ``postgres``. Prints one table:
engine, seconds (generate / write / total), rows per table read back, database size.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from migrations import runner as migrate
from seed import load_synthetic
from seed.synthetic_data import COLUMNS, SIZES
from service.core.database import engine_for_url

SHARED_SQLITE = Path("/work/bench/large.db")
SHARED_POSTGRESQL = "postgresql+asyncpg://postgres@127.0.0.1:5432/stratagraph_bench_large"
SCRATCH_POSTGRESQL = "postgresql+asyncpg://postgres@127.0.0.1:5432/stratagraph_bench_scratch"


@dataclass
class Result:
    engine: str
    target: str
    generate_seconds: float
    write_seconds: float
    total_seconds: float
    counts: dict[str, int]
    size_bytes: int


async def _recreate_postgresql(url: URL) -> None:
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        await admin.dispose()


async def _drop_postgresql(url: URL) -> None:
    admin = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        await admin.dispose()


async def _load(url: URL, size: str) -> Result:
    engine = engine_for_url(url)
    try:
        await migrate.upgrade(engine)
        started = time.perf_counter()
        report = await load_synthetic(engine, size)
        total = time.perf_counter() - started
        async with engine.connect() as connection:
            counts = {
                table: (
                    await connection.execute(text(f'SELECT count(*) FROM "{table}"'))
                ).scalar_one()
                for table in COLUMNS
            }
        size_bytes = 0
        if url.get_backend_name() == "postgresql":
            async with engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.execute(text("VACUUM ANALYZE"))
                size_query = text("SELECT pg_database_size(current_database())")
                size_bytes = (await connection.execute(size_query)).scalar_one()
    finally:
        await engine.dispose()
    if url.get_backend_name() == "sqlite":
        size_bytes = _vacuum_sqlite(Path(str(url.database)))
    return Result(
        engine=url.get_backend_name(),
        target=url.render_as_string(hide_password=True),
        generate_seconds=report.generate_seconds,
        write_seconds=report.load_seconds,
        total_seconds=total,
        counts=counts,
        size_bytes=size_bytes,
    )


def _vacuum_sqlite(path: Path) -> int:
    # The engine wraps every statement in BEGIN; VACUUM needs a plain autocommit connection.
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("VACUUM")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def _remove_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _run_sqlite(path: Path, size: str, keep: bool) -> Result:
    building = path.with_name(path.name + ".next") if keep else path
    _remove_sqlite(building)
    result = await _load(make_url(f"sqlite+aiosqlite:///{building}"), size)
    if keep:
        _swap_sqlite(building, path)
        result.target = str(path)
    return result


def _swap_sqlite(built: Path, live: Path) -> None:
    # The built file is checkpointed (empty WAL). Readers of the old file keep its inode and
    # side files; new connections get the new file and fresh side files.
    built.replace(live)
    for suffix in ("-wal", "-shm"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
        Path(f"{built}{suffix}").unlink(missing_ok=True)


async def _run_postgresql(url: URL, size: str, keep: bool) -> Result:
    building = url.set(database=f"{url.database}_next") if keep else url
    await _recreate_postgresql(building)
    try:
        result = await _load(building, size)
    except BaseException:
        await _drop_postgresql(building)
        raise
    if keep:
        await _swap_postgresql(building, url)
        result.target = url.render_as_string(hide_password=True)
    else:
        await _drop_postgresql(building)
    return result


async def _swap_postgresql(built: URL, live: URL) -> None:
    """Rename ``built`` to ``live``; RENAME needs the databases free, so end their sessions."""
    admin = create_async_engine(live.set(database="postgres"), isolation_level="AUTOCOMMIT")
    old = f"{live.database}_old"
    terminate = text(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname IN (:live, :built) AND pid <> pg_backend_pid()"
    )
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
            for attempt in range(20):
                await connection.execute(
                    terminate, {"live": live.database, "built": built.database}
                )
                try:
                    exists = await connection.execute(
                        text("SELECT 1 FROM pg_database WHERE datname = :name"),
                        {"name": live.database},
                    )
                    if exists.first():
                        await connection.execute(
                            text(f'ALTER DATABASE "{live.database}" RENAME TO "{old}"')
                        )
                    await connection.execute(
                        text(f'ALTER DATABASE "{built.database}" RENAME TO "{live.database}"')
                    )
                    break
                except DBAPIError:  # a client reconnected in between: end it again
                    if attempt == 19:
                        raise
                    await asyncio.sleep(0.05)
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def _print(results: list[Result], size: str) -> None:
    print(f"synthetic {size}: load into a fresh, migrated database (one transaction)\n")
    print("| engine | generate s | write s | total s | rows | size MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r.engine} | {r.generate_seconds:.1f} | {r.write_seconds:.1f} | "
            f"{r.total_seconds:.1f} | {sum(r.counts.values()):,} | {r.size_bytes / 2**20:.0f} |"
        )
    print("\n| table | " + " | ".join(r.engine for r in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for table in COLUMNS:
        print(f"| {table} | " + " | ".join(f"{r.counts[table]:,}" for r in results) + " |")
    for r in results:
        print(f"\n{r.engine}: {r.target}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="large")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sqlite", type=Path, default=None, help="SQLite file to (re)create")
    parser.add_argument("--postgresql", default=None, help="PostgreSQL database URL to recreate")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"leave the databases in place (default targets {SHARED_SQLITE}, {SHARED_POSTGRESQL})",
    )
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results = []
    with tempfile.TemporaryDirectory(prefix="stratagraph-bench-") as scratch:
        if "sqlite" in engines:
            default = SHARED_SQLITE if args.keep else Path(scratch) / f"{uuid.uuid4().hex}.db"
            results.append(await _run_sqlite(args.sqlite or default, args.size, args.keep))
        if "postgresql" in engines:
            default_url = SHARED_POSTGRESQL if args.keep else SCRATCH_POSTGRESQL
            url = make_url(args.postgresql or default_url)
            results.append(await _run_postgresql(url, args.size, args.keep))
    _print(results, args.size)


if __name__ == "__main__":
    asyncio.run(main())
