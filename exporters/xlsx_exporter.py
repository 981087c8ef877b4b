"""Excel workbook for people: a summary with charts and one filterable sheet per entity.

openpyxl's write-only mode streams each sheet's rows to a temporary file as they are read,
so memory stays bounded on national-scale data; the finished zip is then copied to the
output in chunks. Rows are built and the zip written in a worker thread, one batch at a
time: the event loop only waits, and the reader's pause (the response's back-pressure) still
holds the next batch back until the client has caught up. Summary figures are computed
values (readers such as calamine and pandas see formulas as empty), charted with native
Excel bar charts.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exporters.protocol import ByteSink
from exporters.xlsx_cells import (
    amount_cell,
    date_cell,
    header_cell,
    link_cell,
    text_cell,
    value_cell,
)
from service.core.dataset_filter import DatasetFilter, filter_to_params
from service.core.dataset_reader import DatasetReader, Record

logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20
MAX_ROWS = 1_048_576  # rows per sheet in Excel (and LibreOffice since 7.4)
# Excel refuses more than 65,530 hyperlinks per sheet (it "repairs" the file); past this many,
# source cells hold the document title as plain text (the Sources sheet still links it).
MAX_LINKS_PER_SHEET = 65_000
Documents = dict[str, tuple[str, str | None]]  # slug -> (title, url)


@dataclass
class SheetContext:
    """What cells of one sheet share: the documents, and the hyperlinks left to spend."""

    documents: Documents
    links_left: int

    def link(self, ws: WriteOnlyWorksheet, text: str | None, url: str | None) -> Any:
        if url and self.links_left > 0:
            self.links_left -= 1
            return link_cell(ws, text, url)
        return link_cell(ws, text, None)


CellMaker = Callable[[WriteOnlyWorksheet, Record, SheetContext], Any]


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    cell: CellMaker


def field(name: str) -> CellMaker:
    return lambda ws, record, _docs: value_cell(ws, record.get(name))


def date_field(name: str) -> CellMaker:
    return lambda ws, record, _docs: date_cell(ws, record.get(name))


def source(ws: WriteOnlyWorksheet, record: Record, context: SheetContext) -> Any:
    citations = record.get("citations") or []
    if not citations:
        return None
    slug = citations[0]["document"]
    title, url = context.documents.get(slug, (slug, None))
    return context.link(ws, title, url)


def quotes(ws: WriteOnlyWorksheet, record: Record, _context: SheetContext) -> Any:
    citations = record.get("citations") or []
    return text_cell(ws, "\n".join(c["quote"] for c in citations)) if citations else None


SOURCE_COLUMNS = (Column("Source", 28, source), Column("Quote", 60, quotes))


def sheet_columns(currency: str) -> dict[str, tuple[str, Sequence[Column]]]:
    """Sheet title -> (entity, columns). ``currency`` names the amount column's unit."""
    return {
        "Strategies": (
            "strategies",
            (
                Column("Code", 14, field("code")),
                Column("Plan", 28, field("plan")),
                Column("Position", 9, field("position")),
                Column("Label", 8, field("label")),
                Column("Title", 50, field("title")),
                Column("Description", 60, field("description")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Tasks": (
            "tasks",
            (
                Column("Code", 16, field("code")),
                Column("Strategy", 12, field("strategy")),
                Column("Parent task", 16, field("parent")),
                Column("Position", 9, field("position")),
                Column("Label", 10, field("label")),
                Column("Title", 50, field("title")),
                Column("Description", 60, field("description")),
                Column("Technologies", 24, field("technologies")),
                Column("Regions", 18, field("regions")),
                Column("Organisations", 24, field("organisations")),
                Column("Laws", 24, field("laws")),
                *SOURCE_COLUMNS,
                Column("Kind", 14, field("kind")),
                Column("Outline level", 8, field("depth")),
            ),
        ),
        "Milestones": (
            "milestones",
            (
                Column("Task", 16, field("task")),
                Column("Position", 9, field("position")),
                Column("Title", 50, field("title")),
                Column("Date as written", 22, field("date_text")),
                Column("Start", 12, date_field("start_date")),
                Column("End", 12, date_field("end_date")),
                Column("Precision", 10, field("precision")),
                Column("Kind", 10, field("kind")),
                Column("Status", 12, field("status")),
                Column("EDTF", 16, field("edtf")),
                Column("Revision", 9, field("revision")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Budgets": (
            "budgets",
            (
                Column("Task", 16, field("task")),
                Column("Position", 9, field("position")),
                Column(
                    f"Amount ({currency})",
                    22,
                    lambda ws, r, _d: amount_cell(ws, r.get("amount")),
                ),
                Column("Currency", 9, field("currency")),
                Column("Amount as written", 28, field("amount_text")),
                Column("Kind", 9, field("kind")),
                Column("Start year", 10, field("start_year")),
                Column("End year", 10, field("end_year")),
                Column("Purpose", 50, field("purpose")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Laws": (
            "laws",
            (
                Column("Slug", 28, field("slug")),
                Column("Title", 50, field("title")),
                Column("Kind", 14, field("kind")),
                Column("Status", 11, field("status")),
                Column("Status as written", 30, field("status_text")),
                Column("Enacted (as written)", 16, field("enacted_text")),
                Column("Enacted (EDTF)", 12, field("enacted_edtf")),
                Column(
                    "Also known as",
                    50,
                    lambda ws, r, _d: value_cell(ws, [a["alias"] for a in r.get("aliases", [])]),
                ),
                Column("Description", 50, field("description")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Targets": (
            "targets",
            (
                Column("Task", 16, field("task")),
                Column("Position", 9, field("position")),
                Column("Metric", 40, field("metric")),
                Column("Comparator", 11, field("comparator")),
                Column("Value", 14, field("value")),
                Column("Unit", 14, field("unit")),
                Column("Value as written", 24, field("value_text")),
                Column("Year", 8, field("year")),
                Column("Baseline", 14, field("baseline_value")),
                Column("Baseline year", 12, field("baseline_year")),
                Column("Baseline as written", 24, field("baseline_text")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Sources": (
            "documents",
            (
                Column("Slug", 24, field("slug")),
                Column("Title", 50, lambda ws, r, c: c.link(ws, r["title"], r["url"])),
                Column("Publisher", 24, field("publisher")),
                Column("Published on", 13, date_field("published_on")),
                Column("Language", 9, field("language")),
                Column("Licence", 20, field("licence")),
                Column("URL", 40, lambda ws, r, c: c.link(ws, r["url"], r["url"])),
                Column("File", 24, field("source_file")),
            ),
        ),
    }


def describe(dataset_filter: DatasetFilter) -> str:
    params = filter_to_params(dataset_filter)
    if not params:
        return "everything"
    return ", ".join(f"{name}={value}" for name, value in params)


class XlsxExporter:
    name = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    file_extension = "xlsx"
    title = "Excel workbook"
    description = (
        "A summary with charts and a filterable sheet per entity: real numbers and dates, "
        "fuzzy dates as written, links to the sources."
    )

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        workbook = Workbook(write_only=True)
        workbook.properties.title = "stratagraph dataset"
        workbook.properties.subject = f"Digital-strategy policy data: {describe(dataset_filter)}"
        workbook.properties.creator = "stratagraph"
        workbook.properties.created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        documents: Documents = {}
        async for record in dataset.records("documents", dataset_filter):
            documents[record["slug"]] = (record["title"], record["url"])
        currencies = await self._currencies(dataset, dataset_filter)
        await self._summary(workbook, dataset, dataset_filter, currencies)
        for title, (entity, columns) in sheet_columns(
            currencies[0] if len(currencies) == 1 else "in the currency column"
        ).items():
            await self._sheet(workbook, title, entity, columns, dataset, dataset_filter, documents)
        with tempfile.TemporaryFile() as spool:
            await asyncio.to_thread(workbook.save, spool)
            spool.seek(0)
            while chunk := spool.read(COPY_CHUNK):
                out.write(chunk)
                await dataset.checkpoint()
        out.flush()

    @staticmethod
    async def _currencies(dataset: DatasetReader, dataset_filter: DatasetFilter) -> list[str]:
        totals = await dataset.budget_totals(dataset_filter, "period")
        return sorted({total.currency for total in totals}) or ["KRW"]

    async def _sheet(
        self,
        workbook: Workbook,
        title: str,
        entity: str,
        columns: Sequence[Column],
        dataset: DatasetReader,
        dataset_filter: DatasetFilter,
        documents: Documents,
    ) -> None:
        ws = workbook.create_sheet(title)
        for index, column in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "A2"
        ws.append([header_cell(ws, column.header) for column in columns])
        context = SheetContext(documents, links_left=MAX_LINKS_PER_SHEET)
        rows = 1
        left_out = 0
        async for batch in dataset.batches(entity, dataset_filter):
            room = max(MAX_ROWS - 1 - rows, 0)  # the last row is kept for a note
            # Building cells and XML is CPU work: a worker thread does it, batch by batch,
            # so the event loop keeps serving other requests (health checks included).
            await asyncio.to_thread(_append_rows, ws, batch[:room], columns, context)
            rows += min(room, len(batch))
            left_out += max(len(batch) - room, 0)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows}"
        if left_out:
            logger.warning("xlsx sheet %s: %d rows left out (sheet is full)", title, left_out)
            ws.append(
                [
                    text_cell(
                        ws,
                        f"{left_out:,} more rows are not shown: a sheet holds {MAX_ROWS:,} "
                        "rows. Narrow the selection, or use the JSON export.",
                    )
                ]
            )

    async def _summary(
        self,
        workbook: Workbook,
        dataset: DatasetReader,
        dataset_filter: DatasetFilter,
        currencies: Sequence[str],
    ) -> None:
        ws = workbook.create_sheet("Summary")
        for letter, width in zip("ABCDEF", (30, 50, 20, 20, 20, 20), strict=False):
            ws.column_dimensions[letter].width = width
        title = header_cell(ws, "stratagraph dataset")
        ws.append([title])
        ws.append(["Selection", text_cell(ws, describe(dataset_filter))])
        counts = await dataset.counts(dataset_filter)
        ws.append(["Records", ", ".join(f"{n} {name}" for name, n in counts.items())])
        ws.append([])
        row = 5

        # A total over a period and an annual level are never added up: each row is one
        # kind and period, and says which ("total over 2022–2026", "annual level in 2027").
        by_strategy = await dataset.budget_totals(dataset_filter, "strategy")
        row = self._table(
            ws,
            row,
            "Budget totals by strategy (each of one kind and period)",
            ["Strategy: what the total is", "Title", *[f"Amount ({c})" for c in currencies]],
            _pivot(
                [
                    (f"{t.key}: {t.meaning}", t.label or "", t.currency, t.amount)
                    for t in by_strategy
                ],
                currencies,
            ),
            lambda key, title: [text_cell(ws, key), text_cell(ws, title)],
            "Budget by strategy and period",
            anchor="H2",
        )
        by_period = await dataset.budget_totals(dataset_filter, "period")
        row = self._table(
            ws,
            row,
            "Budget totals by period (each of one kind and period)",
            ["Period", "What the total is", *[f"Amount ({c})" for c in currencies]],
            _pivot([(t.key or "", t.meaning, t.currency, t.amount) for t in by_period], currencies),
            lambda key, meaning: [text_cell(ws, key), text_cell(ws, meaning)],
            "Budget by period",
            anchor="H20",
        )
        milestones = await dataset.milestone_counts_by_year(dataset_filter)
        ws.append([header_cell(ws, "Milestones by year (end of their span)")])
        ws.append([header_cell(ws, "Year"), header_cell(ws, "Milestones")])
        first = row + 2
        for year, count in milestones:
            ws.append([year, count])
        if milestones:
            chart = BarChart()
            chart.title = "Milestones by year"
            chart.y_axis.title = "Milestones"
            data = Reference(ws, min_col=2, min_row=first - 1, max_row=first + len(milestones) - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(
                Reference(ws, min_col=1, min_row=first, max_row=first + len(milestones) - 1)
            )
            ws.add_chart(chart, "H38")

    @staticmethod
    def _table(
        ws: WriteOnlyWorksheet,
        row: int,
        title: str,
        headers: list[str],
        rows: list[tuple[str, str, list[int]]],
        label: Callable[[str, str], list[Any]],
        chart_title: str,
        anchor: str,
    ) -> int:
        """Append a titled table of amounts with a bar chart beside it; return the next row."""
        ws.append([header_cell(ws, title)])
        ws.append([header_cell(ws, text) for text in headers])
        first = row + 2
        for key, second, amounts in rows:
            ws.append([*label(key, second), *[amount_cell(ws, amount) for amount in amounts]])
        if rows:
            chart = BarChart()
            chart.title = chart_title
            chart.y_axis.title = headers[2]
            chart.y_axis.number_format = "#,##0"
            data = Reference(ws, min_col=3, min_row=first - 1, max_row=first + len(rows) - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(
                Reference(ws, min_col=1, min_row=first, max_row=first + len(rows) - 1)
            )
            ws.add_chart(chart, anchor)
        ws.append([])
        return first + len(rows) + 1


def _append_rows(
    ws: WriteOnlyWorksheet,
    records: Sequence[Record],
    columns: Sequence[Column],
    context: SheetContext,
) -> None:
    for record in records:
        ws.append([column.cell(ws, record, context) for column in columns])


def _pivot(
    totals: Sequence[tuple[str, str, str, int]], currencies: Sequence[str]
) -> list[tuple[str, str, list[int]]]:
    """(key, second column, currency, total) rows -> (key, second, [total per currency]) in
    first-seen key order."""
    table: dict[tuple[str, str], list[int]] = {}
    for key, second, currency, total in totals:
        table.setdefault((key, second), [0] * len(currencies))[currencies.index(currency)] = total
    return [(key, second, amounts) for (key, second), amounts in table.items()]
