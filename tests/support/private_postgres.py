"""A throwaway PostgreSQL cluster of our own, to stop, freeze and restart under load.

Never the shared server at 127.0.0.1:5432: ``initdb`` makes a cluster in a temporary folder,
``pg_ctl`` runs it on a free port (as the ``postgres`` system user when we are root: root
cannot run postgres), and it is removed afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from tests.support.live import free_port

SERVER_USER = "postgres"


def postgres_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/*/bin`` that has initdb and pg_ctl."""
    found = sorted(
        (p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def unavailable_reason() -> str | None:
    if postgres_bin() is None:
        return "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run postgres"
    return None


@dataclass
class PrivateCluster:
    bin: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> URL:
        return make_url(f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", SERVER_USER, "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=60)

    def pg_ctl(self, action: str, *options: str) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", *options, action)

    def start(self) -> None:
        settings = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.pg_ctl("start", "-l", str(self.folder / "server.log"), "-o", settings)

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _pids(self) -> list[int]:
        """The postmaster and every process it started."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return []
        postmaster = int(pid_file.read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        for pid in self._pids():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        for pid in self._pids():
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def create_database(self, name: str) -> URL:
        self._run(
            str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
            "postgres", name,
        )  # fmt: skip
        return self.url(name)


@contextmanager
def private_postgres() -> Iterator[PrivateCluster]:
    """A running cluster of our own; call ``unavailable_reason()`` first."""
    bin_folder = postgres_bin()
    assert bin_folder is not None
    folder = Path(tempfile.mkdtemp(prefix="stratagraph-pg-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_USER)
        os.chown(folder, account.pw_uid, account.pw_gid)
    cluster = PrivateCluster(bin_folder, folder, free_port())
    try:
        cluster._run(
            str(bin_folder / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U",
            "postgres", "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        cluster.start()
        yield cluster
    finally:
        cluster.thaw()
        with suppress(subprocess.SubprocessError):
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
