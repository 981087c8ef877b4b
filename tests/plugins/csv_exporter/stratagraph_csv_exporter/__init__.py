"""A CSV exporter plugin: one row per task of the selection."""

from __future__ import annotations

import csv
import io

from exporters.protocol import ByteSink
from service.core.dataset_filter import DatasetFilter
from service.core.dataset_reader import DatasetReader

COLUMNS = ("code", "strategy", "parent", "title")


class CsvExporter:
    name = "csv"
    media_type = "text/csv; charset=utf-8"
    file_extension = "csv"
    title = "Tasks as CSV"
    description = "One row per task: code, strategy, parent task and title."

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        async for batch in dataset.batches("tasks", dataset_filter):
            writer.writerows([record[column] for column in COLUMNS] for record in batch)
            out.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
        out.write(buffer.getvalue().encode())
        out.flush()


NOT_AN_EXPORTER = object()


class Nameless:
    """Has everything but a name (for the broken-plugin tests)."""

    media_type = "text/plain"
    file_extension = "txt"
    title = "Nameless"
    description = "Missing its name."

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        out.write(b"")
