"""Answers by status while a private PostgreSQL is restarted, stopped and frozen under load.

Starts a throwaway cluster (``initdb`` + ``pg_ctl`` on a free port, as the ``postgres`` user
when run as root; never the shared server), loads the curated dataset, serves the app with
uvicorn and runs four clients over GraphQL, the JSON export, the feed and ``/healthz``
through each phase. Prints a table of answers per phase and outcome, the slowest answer,
and how many tracebacks the server logged.

    .venv/bin/python benchmarks/fault_injection.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.faults import answered_by_endpoint, run_phases, table
from tests.support.live import live_server
from tests.support.private_postgres import private_postgres, unavailable_reason

SERVER_ENV = {
    "STRATAGRAPH_STATEMENT_TIMEOUT_MS": "1000",
    "STRATAGRAPH_DATABASE_CONNECT_TIMEOUT_MS": "1000",
    "STRATAGRAPH_REQUEST_TIMEOUT_MS": "5000",
    "STRATAGRAPH_LOG_LEVEL": "warning",
}


async def main() -> int:
    reason = unavailable_reason()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    import seed

    with private_postgres() as cluster:
        engine = engine_for_url(cluster.create_database("faults"))
        try:
            await migrate.upgrade(engine)
            await seed.load_curated(engine)
        finally:
            await engine.dispose()
        with tempfile.TemporaryFile("w+") as log:
            with live_server(cluster.url("faults"), env=SERVER_ENV, log=log) as base:
                answers = await run_phases(base, cluster)
            log.seek(0)
            output = log.read()
    print(table(answers))
    print()
    print(answered_by_endpoint(answers))
    print(f"\ntracebacks logged by the server: {output.count('Traceback')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
