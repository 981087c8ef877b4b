"""What an export worker process is asked to build, and how it answers.

The serving process sends an ``ExportJob`` (as JSON on the worker's standard input); the worker
writes ``READY`` once its first read of the database succeeded, then the file's bytes, and
exits 0 when the file is complete. Any other exit means the file is not: ``EXIT_UNAVAILABLE``
when the database did not answer, anything else when the export itself failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import entry_points

from sqlalchemy.engine import make_url

from exporters.ics import IcsExporter
from exporters.protocol import ENTRY_POINT_GROUP, Exporter
from exporters.registry import load_registry
from service.core.dataset_filter import DatasetFilter, filter_from_params
from service.core.settings import Settings

READY = b"READY\n"
EXIT_UNAVAILABLE = 75  # EX_TEMPFAIL in sysexits.h: try again later


class UnknownFormat(Exception):
    """The worker's registry has no usable exporter of the job's name."""


@dataclass(frozen=True)
class ExportJob:
    """One export: the format, the dataset filter (as its query parameters), the public base
    URL for links back, the calendar's ``spans`` option (ics only), and whether a worker
    gzips the file (the client accepts it and the format is not compressed already)."""

    format: str
    params: tuple[tuple[str, str], ...]
    public_url: str | None
    spans: bool = False
    gzip: bool = False

    def dataset_filter(self) -> DatasetFilter:
        return filter_from_params(list(self.params))

    def exporter(self) -> Exporter:
        """The job's exporter, loaded from its own entry point only (a broken plugin of
        another name is not this export's concern)."""
        if self.spans:
            return IcsExporter(spans=True)
        points = entry_points(group=ENTRY_POINT_GROUP, name=self.format)
        exporter = load_registry(points).get(self.format)
        if exporter is None:
            raise UnknownFormat(f"no usable exporter named {self.format!r}")
        return exporter


@dataclass(frozen=True)
class WorkerDatabase:
    """The serving settings a worker opens the database with (the same bounded waits)."""

    url: str  # with its password: it travels on a pipe, never on a command line
    statement_timeout_ms: int
    connect_timeout_ms: int

    @classmethod
    def of(cls, settings: Settings) -> WorkerDatabase:
        return cls(
            settings.database_url.render_as_string(hide_password=False),
            settings.statement_timeout_ms,
            settings.connect_timeout_ms,
        )

    def settings(self) -> Settings:
        return Settings(
            database_url=make_url(self.url),
            statement_timeout_ms=self.statement_timeout_ms,
            connect_timeout_ms=self.connect_timeout_ms,
            database_pool_size=1,  # one export reads through one connection
        )


def encode_request(job: ExportJob, database: WorkerDatabase) -> bytes:
    return json.dumps(
        {
            "job": {
                "format": job.format,
                "params": [list(pair) for pair in job.params],
                "public_url": job.public_url,
                "spans": job.spans,
                "gzip": job.gzip,
            },
            "database": {
                "url": database.url,
                "statement_timeout_ms": database.statement_timeout_ms,
                "connect_timeout_ms": database.connect_timeout_ms,
            },
        }
    ).encode()


def decode_request(data: bytes) -> tuple[ExportJob, WorkerDatabase]:
    request = json.loads(data)
    job, database = request["job"], request["database"]
    return (
        ExportJob(
            format=job["format"],
            params=tuple((name, value) for name, value in job["params"]),
            public_url=job["public_url"],
            spans=job["spans"],
            gzip=job["gzip"],
        ),
        WorkerDatabase(**database),
    )
