"""A compiled statement that runs past ``STRATAGRAPH_STATEMENT_TIMEOUT_MS`` (issue 10 point 1):
the database stops it (PostgreSQL ``statement_timeout``, SQLite the progress handler), the
answer is the coded timeout error naming the limit, and the worker serves the next request."""

from __future__ import annotations

import time

from sqlalchemy.engine import URL

from service.app import create_app
from service.core.settings import Settings
from tests.schema.http_support import GRAPHQL_RESPONSE, asgi_client
from tests.support.sql import count_statements

TIMEOUT_MS = 3000
# Twenty sorted scans of large's 200,000 milestones in one compiled statement: 7-11 s here,
# while the list bounds read before it takes under a second.
SLOW = (
    "{ "
    + " ".join(
        f"m{i}: milestones(last: 100, orderBy: {{field: TITLE, direction: DESC}}, "
        "filter: {statuses: [PLANNED, COMPLETED]}) { totalCount nodes { title } }"
        for i in range(20)
    )
    + " }"
)
COMPILED = ("SELECT json_object(", "SELECT (json_build_object(")


async def test_a_slow_compiled_statement_is_stopped_with_the_coded_error(
    large_url: URL,
) -> None:
    app = create_app(
        Settings(database_url=large_url, statement_timeout_ms=TIMEOUT_MS, graphql_cache_bytes=0)
    )
    # The lifespan closes what the app opened: the data-version probe's connection and the pool.
    async with app.router.lifespan_context(app), asgi_client(app) as client:
        with count_statements(app.state.runtime.engine) as log:
            started = time.monotonic()
            slow = await client.post(
                "/graphql", json={"query": SLOW}, headers={"accept": GRAPHQL_RESPONSE}
            )
            seconds = time.monotonic() - started
        after = await client.post("/graphql", json={"query": "{ plans { slug } }"})
    assert slow.status_code == 504, slow.text
    (error,) = slow.json()["errors"]
    assert error["extensions"] == {
        "code": "STATEMENT_TIMEOUT",
        "limit": "STRATAGRAPH_STATEMENT_TIMEOUT_MS",
        "maximum": TIMEOUT_MS,
    }
    assert "SELECT" not in error["message"]
    # The statement the database stopped was the compiled one (one statement for the operation).
    assert log.queries()[-1].lstrip().startswith(COMPILED), log.queries()[-1][:80]
    assert [q for q in log.queries() if q.lstrip().startswith(COMPILED)] == log.queries()[-1:]
    assert seconds < 2 * TIMEOUT_MS / 1000 + 2
    assert after.status_code == 200
    assert after.json()["data"]["plans"]
