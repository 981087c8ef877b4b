"""A workbook download the client abandons logs one line, not the tracebacks of half-written
sheets and of database connections torn down mid-statement (8 of them before)."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

import seed
from migrations import runner as migrate
from service.core.database import engine_for_url
from tests.support.databases import temporary_database
from tests.support.live import live_server

DELAYS = (0.0, 0.0, 0.01, 0.03, 0.1)
STOPPED = "export 'xlsx' stopped: the client went away before the end"


def _abandon_download(base: str, delay: float) -> None:
    """Read the response's first bytes, wait ``delay`` seconds, hang up."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.sendall(b"GET /exports/xlsx HTTP/1.1\r\nHost: test\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
        time.sleep(delay)


async def test_an_abandoned_workbook_download_logs_one_line(backend: str, tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    async with temporary_database(backend, tmp_path, "cancel") as url:
        engine = engine_for_url(url)
        try:
            await migrate.upgrade(engine)
            await seed.load_synthetic(engine, "small")
        finally:
            await engine.dispose()
        with log.open("w") as output, live_server(url, log=output) as base:
            for delay in DELAYS:
                await asyncio.to_thread(_abandon_download, base, delay)
            await asyncio.sleep(2)  # the producers stop at their next batch
            async with httpx.AsyncClient() as client:
                assert (await client.get(f"{base}/healthz")).status_code == 200
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    assert "Traceback" not in log.read_text()
    assert 1 <= len(lines) <= len(DELAYS), lines
    assert set(lines) == {STOPPED}, lines
