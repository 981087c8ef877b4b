"""``stratagraph serve`` for real: prepares an empty database, answers, and shuts down cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.live import free_port

STRATAGRAPH = str(Path(sys.executable).with_name("stratagraph"))


def _wait_healthy(url: str, process: subprocess.Popen[str], deadline: float) -> httpx.Response:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early: {process.communicate()[1]}")
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("serve did not answer in time")


def test_serve_seeds_an_empty_default_database_and_stops_gracefully(tmp_path: Path) -> None:
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STRATAGRAPH_")}
    process = subprocess.Popen(
        [STRATAGRAPH, "serve", "--port", str(port)],
        cwd=tmp_path,  # the default database is ./stratagraph.db
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        response = _wait_healthy(f"http://127.0.0.1:{port}/healthz", process, time.monotonic() + 90)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "sqlite"}
        assert (tmp_path / "stratagraph.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    # uvicorn shuts down gracefully, then re-raises the signal so supervisors see it.
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert "loaded the curated dataset" in stdout
    assert "Traceback" not in stderr
    assert "Waiting for application shutdown." in stderr
    assert "Application shutdown complete." in stderr
    assert "Finished server process" in stderr
