"""The page at ``/`` in headless Chromium against a live uvicorn server.

The browser needs a real socket, so this test starts ``stratagraph``'s app under uvicorn on a
free 127.0.0.1 port over its own SQLite file (the rolled-back test transactions are invisible
to another process). Without Debian's ``chromium`` it skips; under CI=true it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import openpyxl
import pytest
from sqlalchemy.engine import make_url

from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.ci import unavailable
from tests.support.feed_data import PLAN_TITLE, insert_feed_dataset
from tests.support.live import free_port
from tests.support.node import JS_DIR, run_node

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def chromium_or_skip() -> str:
    if shutil.which(CHROMIUM):
        return CHROMIUM
    unavailable(
        f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
    )


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    url = make_url(f"sqlite+aiosqlite:///{tmp_path / 'browser.db'}")
    engine = engine_for_url(url)
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            await insert_feed_dataset(connection)
    finally:
        await engine.dispose()
    return url.render_as_string(hide_password=False)


@pytest.fixture
def live_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "STRATAGRAPH_DATABASE_URL": database_url}
    env.pop("STRATAGRAPH_PUBLIC_URL", None)
    log = (tmp_path / "uvicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.app:create_app_from_env", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urlopen(f"{base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"uvicorn did not start: {(tmp_path / 'uvicorn.log').read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def test_page_in_chromium_downloads_a_workbook(live_server: str, tmp_path: Path) -> None:
    chromium_or_skip()
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    result = run_node(JS_DIR / "drive_home.mjs", live_server, "xlsx", str(downloads), timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["status"] == 200
    assert seen["errors"] == []
    assert seen["heading"] == "stratagraph"
    assert PLAN_TITLE in seen["plans"]
    assert {b["action"] for b in seen["buttons"]} >= {
        "/exports/xlsx",
        "/exports/json",
        "/exports/ics",
    }
    assert (
        f"webcal://127.0.0.1:{live_server.rsplit(':', 1)[1]}/calendars/milestones.ics"
        in (seen["webcal"])
    )
    assert seen["graphiql"] == "/graphql"

    download = seen["download"]
    assert download["failure"] is None
    assert f"plan={seen['chosenPlan']}" in download["url"]
    assert download["filename"].endswith(".xlsx")
    workbook = openpyxl.load_workbook(download["path"], read_only=True)
    try:
        assert workbook.sheetnames  # a valid OOXML workbook with sheets
    finally:
        workbook.close()
