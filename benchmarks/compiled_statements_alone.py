"""The compiled statements of ``graphql_load.py``'s search and summary scenarios, each timed alone.

    python benchmarks/compiled_statements_alone.py SQLITE_FILE POSTGRESQL_URL [--runs 5]

For each request of scenarios e (``search``, five words) and f (``budgetSummary``, four
groups), the one statement the compiler writes for it is run alone, on one connection, with
nothing else in the process: through Python's ``sqlite3`` (with the service's SQL functions)
and through asyncpg. Prints the best of ``--runs`` per engine and their ratio, so a gap in
``graphql_load.py``'s requests per second can be told from a gap in the statements' own cost.
Only reads: safe on a shared benchmark database.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import graphql
from graphql_load import SEARCH, SEARCH_WORDS, SUMMARY, SUMMARY_GROUPS  # the sibling script
from sqlalchemy.dialects import postgresql, sqlite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schema.build import build_schema  # noqa: E402
from schema.compiler.executor import Compiler  # noqa: E402
from schema.compiler.sql import Renderer  # noqa: E402
from service.core.database import add_sql_functions  # noqa: E402

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    *(("search", SEARCH, {"q": word}) for word in SEARCH_WORDS),
    *(("budgetSummary", SUMMARY, {"group": group}) for group in SUMMARY_GROUPS),
]


if TYPE_CHECKING:
    import sqlite3


def _sqlite(path: str) -> sqlite3.Connection:
    # Imported here, after the service, which starts SQLite as the served app does
    # (service.core.sqlite_allocator: without its allocation count).
    import sqlite3

    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    add_sql_functions(connection)
    return connection


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_file")
    parser.add_argument("postgresql_url", help="postgresql://user@host:port/database")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compiler = Compiler(build_schema())
    lite = _sqlite(args.sqlite_file)
    pg = await asyncpg.connect(args.postgresql_url.replace("+asyncpg", ""))
    print("| request | SQLite ms | PostgreSQL ms | SQLite / PostgreSQL |")
    print("| --- | ---: | ---: | ---: |")
    try:
        for field, source, variables in REQUESTS:
            document = graphql.parse(source)
            operation = document.definitions[0]
            assert isinstance(operation, graphql.OperationDefinitionNode)
            split = compiler.split(source, document, operation, variables)
            assert split is not None, "not compiled"
            assert split.rest is None, "partly compiled"
            params = split.plan.params
            lite_sql = Renderer(sqlite.dialect()).statement(split.plan)
            pg_sql = Renderer(postgresql.dialect()).statement(split.plan)
            lite_times, pg_times = [], []
            for _ in range(args.runs):  # interleaved, so load from elsewhere hits both alike
                start = time.perf_counter()
                lite.execute(lite_sql, params).fetchall()
                lite_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                await pg.fetch(pg_sql, *params)
                pg_times.append(time.perf_counter() - start)
            lite_ms, pg_ms = min(lite_times) * 1000, min(pg_times) * 1000
            name = next(iter(variables.values()))
            print(f"| {field} {name} | {lite_ms:.1f} | {pg_ms:.1f} | {lite_ms / pg_ms:.2f} |")
    finally:
        await pg.close()
        lite.close()


if __name__ == "__main__":
    asyncio.run(main())
