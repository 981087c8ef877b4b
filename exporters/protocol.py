"""What an exporter is: a named file format that writes the filtered dataset to a byte stream.

A plugin provides a class (or an instance) with these attributes and one coroutine method,
and registers it under the entry-point group ``stratagraph.exporters`` (see docs/exporters.md).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader

ENTRY_POINT_GROUP = "stratagraph.exporters"


@runtime_checkable
class ByteSink(Protocol):
    """Where an exporter writes: any binary stream with ``write`` (a file, ``BytesIO``, an
    HTTP response body). Write bytes as rows are read; never build the whole file first."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


@runtime_checkable
class Exporter(Protocol):
    """A file format. ``name`` is the URL segment and CLI argument (``/exports/{name}``)."""

    name: str  # lower-case letters, digits, "-" or "_"; equals the entry-point name
    media_type: str  # e.g. "application/json"
    file_extension: str  # without the dot, e.g. "json"
    title: str  # short label for people, e.g. "JSON dataset"
    description: str  # one sentence for the download page and `stratagraph exporters`

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        """Write the records that pass ``dataset_filter`` to ``out``, reading batch by batch
        from ``dataset`` (``dataset.batches(entity, dataset_filter)``, ``dataset.records(...)``,
        ``dataset.milestone_batches(dataset_filter)``)."""
        ...
