"""A private PostgreSQL stopped, restarted and frozen under load: outages are clean 503s.

Before: GraphQL answered 200 with a masked error, the feed a bare 500 with a traceback per
request, a frozen server hung every request (health checks included) until it resumed, and
the first export after a restart failed or was cut off.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator

import pytest

from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.ci import unavailable
from tests.support.faults import Answer, run_phases, table
from tests.support.live import live_server
from tests.support.private_postgres import PrivateCluster, private_postgres, unavailable_reason

SERVER_ENV = {
    "STRATAGRAPH_STATEMENT_TIMEOUT_MS": "1000",
    "STRATAGRAPH_DATABASE_CONNECT_TIMEOUT_MS": "1000",
    "STRATAGRAPH_REQUEST_TIMEOUT_MS": "5000",
    "STRATAGRAPH_LOG_LEVEL": "warning",
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    reason = unavailable_reason()
    if reason:
        unavailable(reason)
    with private_postgres() as running:
        yield running


async def _seeded(cluster: PrivateCluster) -> None:
    import seed

    engine = engine_for_url(cluster.create_database("outages"))
    try:
        await migrate.upgrade(engine)
        await seed.load_curated(engine)
    finally:
        await engine.dispose()


async def test_stop_restart_and_freeze_under_load(cluster: PrivateCluster) -> None:
    await _seeded(cluster)
    with tempfile.TemporaryFile("w+") as log:
        with live_server(cluster.url("outages"), env=SERVER_ENV, log=log) as base:
            answers = await run_phases(base, cluster)
        log.seek(0)
        output = log.read()
    print("\n" + table(answers))
    by_phase: dict[str, list[Answer]] = {}
    for answer in answers:
        by_phase.setdefault(answer.phase, []).append(answer)

    everything = Counter(a.outcome for a in answers)
    assert set(everything) <= {"200", "503"}, everything  # no 500, no hang, no cut-off body
    assert "Traceback" not in output, output[-3000:]
    for phase in ("up", "after restart", "started", "thawed"):
        late = by_phase[phase][len(by_phase[phase]) // 2 :]  # once the pool has recovered
        assert {a.outcome for a in late} == {"200"}, (phase, Counter(a.outcome for a in late))
    for phase in ("first after restart", "first after start"):
        assert {a.outcome for a in by_phase[phase]} == {"200"}, by_phase[phase]
    for phase in ("stopped", "frozen"):
        down = by_phase[phase]
        settled = down[len(down) // 4 :]  # requests that began before the fault may succeed
        assert {a.outcome for a in settled} == {"503"}, (phase, Counter(a.outcome for a in down))
        assert all(a.retry_after for a in down if a.outcome == "503")
    frozen = by_phase["frozen"]
    assert max(a.seconds for a in frozen if a.endpoint == "health") < 2.5
    assert max(a.seconds for a in frozen) < 5
