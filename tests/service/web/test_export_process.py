"""Exports built in worker processes (issue 10 point 7): the same files as before, the cap on
concurrent exports, a client that leaves stops its worker, and a worker that dies is a clean
error, never a hang or a short file that looks complete."""

from __future__ import annotations

import asyncio
import gzip
import io
import os
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette

from service.app import create_app
from service.core.settings import Settings
from service.web.export_process import WORKER_MODULE
from tests.schema.http_support import asgi_client
from tests.support.live import live_server

FORMATS = ("/exports/json", "/exports/xlsx", "/exports/ics", "/calendars/milestones.ics")


@pytest.fixture
async def worker_app(seeded_engine: AsyncEngine) -> AsyncIterator[Starlette]:
    """The app as ``stratagraph serve`` builds it (it owns its engine, so exports run in
    worker processes) over the committed curated dataset."""
    app = create_app(Settings(database_url=seeded_engine.url, allowed_hosts=("testserver",)))
    async with app.router.lifespan_context(app):
        yield app


def _workbook_values(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


@pytest.mark.parametrize(
    "path", [*FORMATS, "/exports/json?strategy=DSK-I", FORMATS[-1] + "?spans=1"]
)
async def test_a_worker_builds_the_same_file_as_the_serving_process(
    worker_app: Starlette, seeded_client: httpx.AsyncClient, path: str
) -> None:
    assert worker_app.state.runtime.export_workers is not None
    async with asgi_client(worker_app) as client:
        built_by_worker = await client.get(path)
    built_here = await seeded_client.get(path)
    assert built_by_worker.status_code == built_here.status_code == 200
    assert built_by_worker.headers["content-type"] == built_here.headers["content-type"]
    if "xlsx" in path:  # the same cells; only the file's creation time differs
        assert _workbook_values(built_by_worker.content) == _workbook_values(built_here.content)
    else:
        assert built_by_worker.content == built_here.content
    assert worker_app.state.runtime.export_workers.running == {}
    assert worker_app.state.runtime.exports.running == 0


@pytest.mark.parametrize("path", ["/exports/json", "/calendars/milestones.ics", "/exports/xlsx"])
async def test_a_worker_gzips_what_the_client_accepts_off_the_serving_loop(
    worker_app: Starlette, path: str
) -> None:
    async with asgi_client(worker_app) as client:
        plain = await client.get(path, headers={"Accept-Encoding": "identity"})
        async with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as packed:
            raw = b"".join([chunk async for chunk in packed.aiter_raw()])
    assert plain.status_code == packed.status_code == 200
    assert "content-encoding" not in plain.headers
    if path.endswith("xlsx"):  # a zip already: sent as it is
        assert "content-encoding" not in packed.headers
        assert _workbook_values(raw) == _workbook_values(plain.content)
        return
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(raw) == plain.content
    if "etag" in plain.headers:  # a compressed body is another representation: a weak tag
        assert packed.headers["etag"] == "W/" + plain.headers["etag"]


async def test_a_worker_killed_before_its_first_read_is_a_clean_500(
    worker_app: Starlette,
) -> None:
    workers = worker_app.state.runtime.export_workers
    async with asgi_client(worker_app) as client:
        download = asyncio.create_task(client.get("/exports/xlsx"))
        # The worker starts its interpreter and imports (tens of ms at least) before it reads.
        await _until(lambda: bool(workers.running), within_s=10, step_s=0.002)
        (pid,) = workers.running
        os.kill(pid, signal.SIGKILL)
        response = await asyncio.wait_for(download, timeout=30)
        after = await client.get("/exports/json")
    assert response.status_code == 500
    assert response.json() == {
        "error": "the export could not be built; it has been logged",
        "code": "EXPORT_FAILED",
    }
    assert response.headers["cache-control"] == "no-store"
    assert after.status_code == 200
    assert after.json()["plans"]
    assert workers.running == {}
    assert worker_app.state.runtime.exports.running == 0


async def test_concurrent_exports_never_share_the_spare_worker(worker_app: Starlette) -> None:
    """Exports that start together each get a worker of their own: the spare goes to one."""
    async with asgi_client(worker_app) as client:
        first = await client.get("/exports/json")  # from here on a spare waits
        together = await asyncio.gather(*(client.get("/exports/json") for _ in range(4)))
    assert [response.status_code for response in together] == [200] * 4
    assert all(response.content == first.content for response in together)
    assert worker_app.state.runtime.export_workers.running == {}


async def test_a_missing_database_is_a_503_from_the_worker(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'gone.db'}"
    app = create_app(Settings.from_env({"STRATAGRAPH_DATABASE_URL": url}))
    async with app.router.lifespan_context(app), asgi_client(app) as client:
        response = await client.get("/exports/xlsx")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert not (tmp_path / "gone.db").exists()


def _export_workers(server_pid: int) -> list[int]:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [
        int(pid)
        for pid in children
        if WORKER_MODULE in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]


async def _until(condition: Any, within_s: float, step_s: float = 0.02) -> float:
    """Seconds until ``condition()`` held; fails after ``within_s``."""
    started = time.monotonic()
    for _ in range(int(within_s / step_s) + 1):
        if condition():
            return time.monotonic() - started
        await asyncio.sleep(step_s)
    raise AssertionError(f"not met within {within_s} s")


def _open_download(base: str, path: str) -> socket.socket:
    """Send the request and read the status line; the caller hangs up when it likes."""
    address = urlsplit(base)
    sock = socket.create_connection((address.hostname, address.port), timeout=120)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    assert sock.recv(1024).startswith(b"HTTP/1.1 200")
    return sock


async def _warmed_up(base: str, server: int) -> int:
    """Export once, so that a spare worker waits (its imports done): the next export's."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        small = await client.get("/exports/ics", params={"strategy": "SYN01-I"})
    assert small.status_code == 200
    (spare,) = await _settled_workers(server, count=1)
    return spare


async def _settled_workers(server: int, count: int) -> list[int]:
    await _until(lambda: len(_export_workers(server)) == count, within_s=10)
    return _export_workers(server)


async def test_the_cap_answers_503_and_a_client_that_leaves_stops_its_worker(
    large_url: URL, tmp_path: Path
) -> None:
    pids: list[int] = []
    env = {"STRATAGRAPH_MAX_CONCURRENT_EXPORTS": "1", "STRATAGRAPH_LOG_LEVEL": "warning"}
    with (
        (tmp_path / "server.log").open("w") as log,
        live_server(large_url, env=env, log=log, started=pids.append, timeout=60) as base,
    ):
        (server,) = pids
        builder = await _warmed_up(base, server)
        sock = await asyncio.to_thread(_open_download, base, "/exports/xlsx")
        try:
            building = await _settled_workers(server, count=2)  # the spare took the job
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                refused = await client.get("/exports/json")
                health = await client.get("/healthz")
                sock.close()
                stopped_in = await _until(
                    lambda: builder not in _export_workers(server), within_s=5
                )
                after = await client.get("/exports/ics", params={"strategy": "SYN01-I"})
        finally:
            sock.close()
    assert builder in building
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert "STRATAGRAPH_MAX_CONCURRENT_EXPORTS" in refused.json()["error"]
    assert health.status_code == 200
    assert stopped_in < 1.5
    assert after.status_code == 200, after.text
    assert after.text.rstrip().endswith("END:VCALENDAR")
    lines = [line for line in (tmp_path / "server.log").read_text().splitlines() if line]
    assert lines == ["export 'xlsx' stopped: the client went away before the end"]


async def test_a_worker_that_dies_mid_download_cuts_it_off_not_hangs(
    large_url: URL, tmp_path: Path
) -> None:
    pids: list[int] = []
    env = {"STRATAGRAPH_LOG_LEVEL": "warning"}
    with (
        (tmp_path / "server.log").open("w") as log,
        live_server(large_url, env=env, log=log, started=pids.append, timeout=60) as base,
    ):
        (server,) = pids
        builder = await _warmed_up(base, server)
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            async with client.stream("GET", "/exports/xlsx") as response:
                assert response.status_code == 200
                assert builder in _export_workers(server)
                os.kill(builder, signal.SIGKILL)
                started = time.monotonic()
                with pytest.raises(httpx.RemoteProtocolError):
                    async for _chunk in response.aiter_bytes():
                        pass
                cut_off_in = time.monotonic() - started
            assert builder not in _export_workers(server)
            after = await client.get("/exports/ics", params={"strategy": "SYN01-I"})
    assert cut_off_in < 5
    assert after.status_code == 200
    log_text = (tmp_path / "server.log").read_text()
    assert "the worker building the 'xlsx' export was killed by signal 9" in log_text
