"""A live uvicorn server over its own SQLite file, and Debian's Chromium, for browser tests.

The browser needs a real socket, so these fixtures start ``stratagraph``'s app under uvicorn
on a free 127.0.0.1 port over its own SQLite file (the rolled-back test transactions are
invisible to another process). Without Debian's ``chromium`` a test skips; under CI=true it
fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest
from sqlalchemy.engine import make_url

from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.ci import unavailable
from tests.support.feed_data import insert_feed_dataset
from tests.support.live import free_port

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
