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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter

from exporters.protocol import ByteSink
from exporters.xlsx_cells import (
    WriteOnlyWorksheet,
    amount_cell,
    date_cell,
    header_cell,
    link_cell,
    text_cell,
    value_cell,
)
from exporters.xlsx_names import Names
from exporters.xlsx_print import append_wrapped, set_up_printing, set_up_summary_printing
from service.core import registry
from service.core.dataset_filter import DatasetFilter, filter_to_params
from service.core.dataset_reader import ENTITY_BY_NAME, DatasetReader, EntitySpec, Record

logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20
MAX_ROWS = 1_048_576  # rows per sheet in Excel (and LibreOffice since 7.4)
# Excel refuses more than 65,530 hyperlinks per sheet (it "repairs" the file); past this many,
# source cells hold the document title as plain text (the Sources sheet still links it).
MAX_LINKS_PER_SHEET = 65_000
Documents = dict[str, tuple[str, str | None]]  # slug -> (title, url)
# The Summary's charts: one above the other right of the tables, all inside its print area.
MIN_CATEGORIES = 2
CHART_SIZE_CM = (16.0, 7.0)
CHART_ANCHORS = ("H2", "H17", "H32")
SUMMARY_LAST_COLUMN = 17  # Q: past the charts' right edge
SUMMARY_LAST_ROW = 48  # below the last chart (7 cm is about 14 rows of 15 points)


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
class Cell:
    """Makes a column's cell from the record's ``key`` (the field the column shows)."""

    key: str
    make: CellMaker

    def __call__(self, ws: WriteOnlyWorksheet, record: Record, context: SheetContext) -> Any:
        return self.make(ws, record, context)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    cell: Cell


def field(name: str) -> Cell:
    return Cell(name, lambda ws, record, _docs: value_cell(ws, record.get(name)))


def date_field(name: str) -> Cell:
    return Cell(name, lambda ws, record, _docs: date_cell(ws, record.get(name)))


def amount_field(name: str) -> Cell:
    return Cell(name, lambda ws, record, _docs: amount_cell(ws, record.get(name)))


def _source(ws: WriteOnlyWorksheet, record: Record, context: SheetContext) -> Any:
    citations = record.get("citations") or []
    if not citations:
        return None
    slug = citations[0]["document"]
    title, url = context.documents.get(slug, (slug, None))
    return context.link(ws, title, url)


def _quotes(ws: WriteOnlyWorksheet, record: Record, _context: SheetContext) -> Any:
    citations = record.get("citations") or []
    return text_cell(ws, "\n".join(c["quote"] for c in citations)) if citations else None


SOURCE_COLUMNS = (
    Column("Source", 28, Cell("citations", _source)),
    Column("Quote", 60, Cell("citations", _quotes)),
)


def sheet_columns(currency: str) -> dict[str, tuple[str, Sequence[Column]]]:
    """Sheet title -> (entity, columns). ``currency`` names the amount column's unit. Every
    exported field of the entity has a column: the ones laid out here, then the rest."""
    return {
        title: (entity, with_every_field(entity, columns))
        for title, (entity, columns) in _laid_out(currency).items()
    }


def _default_column(spec: EntitySpec, key: str) -> Column:
    """A column for a field the layout does not place: header and cell from its type."""
    header = key.replace("_", " ").capitalize()
    column = spec.model.__table__.c.get(key)
    if column is None or key not in spec.items:  # a reference, link or nested list
        return Column(header, 24, field(key))
    stored = registry.entity(spec.model.__tablename__).field(key)
    if stored.is_money:
        return Column(header, 22, amount_field(key))
    if stored.python_type is date:
        return Column(header, 12, date_field(key))
    length = stored.max_length
    width = (
        12
        if stored.python_type is not str
        else 50
        if length is None
        else min(50, 12 + length // 10)
    )
    return Column(header, width, field(key))


def _keys(spec: EntitySpec) -> list[str]:
    return [item if isinstance(item, str) else item.field for item in spec.items]


def with_every_field(entity: str, columns: Sequence[Column]) -> tuple[Column, ...]:
    spec = ENTITY_BY_NAME[entity]
    shown = {column.cell.key for column in columns}
    extra = [_default_column(spec, key) for key in _keys(spec) if key not in shown]
    cited = list(columns[-len(SOURCE_COLUMNS) :]) == list(SOURCE_COLUMNS)
    if cited:
        return (*columns[: -len(SOURCE_COLUMNS)], *extra, *SOURCE_COLUMNS)
    return (*columns, *extra)


def _laid_out(currency: str) -> dict[str, tuple[str, Sequence[Column]]]:
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
                Column("Kind", 14, field("kind")),
                Column("Outline level", 8, field("depth")),
                *SOURCE_COLUMNS,
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
                Column(f"Amount ({currency})", 22, amount_field("amount")),
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
                    Cell(
                        "aliases",
                        lambda ws, r, _d: value_cell(ws, [a["alias"] for a in r["aliases"]]),
                    ),
                ),
                Column("Description", 50, field("description")),
                *SOURCE_COLUMNS,
            ),
        ),
        "Law groups": (
            "law_groups",
            (
                Column("Slug", 32, field("slug")),
                Column("Name as written", 36, field("name")),
                Column("Laws stated", 9, field("stated_count")),
                Column("Laws named", 60, field("members")),
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
                Column("Date as written", 18, field("date_text")),
                Column("Start", 12, date_field("date_start")),
                Column("End", 12, date_field("date_end")),
                Column("Precision", 10, field("date_precision")),
                Column("EDTF", 12, field("date_edtf")),
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
                Column(
                    "Title", 50, Cell("title", lambda ws, r, c: c.link(ws, r["title"], r["url"]))
                ),
                Column("Publisher", 24, field("publisher")),
                Column("Published on", 13, date_field("published_on")),
                Column("Language", 9, field("language")),
                Column("Licence", 20, field("licence")),
                Column("URL", 40, Cell("url", lambda ws, r, c: c.link(ws, r["url"], r["url"]))),
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
        "A summary with charts and a filterable sheet per entity that prints on A4: real "
        "numbers and dates, fuzzy dates as written, sources linked where they have a web address."
    )

    async def export(
        self, dataset: DatasetReader, dataset_filter: DatasetFilter, out: ByteSink
    ) -> None:
        workbook = Workbook(write_only=True)
        workbook.properties.title = "stratagraph dataset"
        workbook.properties.subject = f"Digital-strategy policy data: {describe(dataset_filter)}"
        workbook.properties.creator = "stratagraph"
        workbook.properties.created = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        try:
            await self._fill(workbook, dataset, dataset_filter)
        except BaseException:
            _discard(workbook)
            raise
        with tempfile.TemporaryFile() as spool:
            await asyncio.to_thread(workbook.save, spool)
            spool.seek(0)
            while chunk := spool.read(COPY_CHUNK):
                out.write(chunk)
                await dataset.checkpoint()
        out.flush()

    async def _fill(
        self, workbook: Workbook, dataset: DatasetReader, dataset_filter: DatasetFilter
    ) -> None:
        documents: Documents = {}
        async for record in dataset.records("documents", dataset_filter):
            documents[record["slug"]] = (record["title"], record["url"])
        currencies = await self._currencies(dataset, dataset_filter)
        names = await Names.read(dataset, dataset_filter)
        await self._summary(workbook, dataset, dataset_filter, currencies)
        for title, (entity, columns) in sheet_columns(
            currencies[0] if len(currencies) == 1 else "in the currency column"
        ).items():
            await self._sheet(
                workbook, title, entity, columns, dataset, dataset_filter, documents, names
            )

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
        names: Names,
    ) -> None:
        ws = workbook.create_sheet(title)
        set_up_printing(ws, key_columns=1)
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
            shown = [names.named(entity, record) for record in batch[:room]]
            await asyncio.to_thread(_append_rows, ws, rows + 1, shown, columns, context)
            rows += len(shown)
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
        set_up_summary_printing(ws, last_column=SUMMARY_LAST_COLUMN, last_row=SUMMARY_LAST_ROW)
        for letter, width in zip("ABCDEF", (30, 50, 20, 20, 20, 20), strict=False):
            ws.column_dimensions[letter].width = width
        title = header_cell(ws, "stratagraph dataset")
        ws.append([title])
        ws.append(["Selection", text_cell(ws, describe(dataset_filter))])
        counts = await dataset.counts(dataset_filter)
        ws.append(["Records", ", ".join(f"{n} {name}" for name, n in counts.items())])
        ws.append([])
        row = 5
        anchors = iter(CHART_ANCHORS)  # the charts drawn take the slots from the top

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
            anchors=anchors,
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
            anchors=anchors,
        )
        milestones = await dataset.milestone_counts_by_year(dataset_filter)
        ws.append([header_cell(ws, "Milestones by year (end of their span)")])
        ws.append([header_cell(ws, "Year"), header_cell(ws, "Milestones")])
        first = row + 2
        for year, count in milestones:
            ws.append([year, count])
        if len(milestones) >= MIN_CATEGORIES:
            chart = BarChart()
            _size(chart)
            chart.title = "Milestones by year"
            chart.y_axis.title = "Milestones"
            data = Reference(ws, min_col=2, min_row=first - 1, max_row=first + len(milestones) - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(
                Reference(ws, min_col=1, min_row=first, max_row=first + len(milestones) - 1)
            )
            ws.add_chart(chart, next(anchors))

    @staticmethod
    def _table(
        ws: WriteOnlyWorksheet,
        row: int,
        title: str,
        headers: list[str],
        rows: list[tuple[str, str, list[int]]],
        label: Callable[[str, str], list[Any]],
        chart_title: str,
        anchors: Iterator[str],
    ) -> int:
        """Append a titled table of amounts with a bar chart beside it; return the next row.

        The chart plots the first currency in billions (a column of its own beside the exact
        amounts), so its axis reads "301.8", not "301800000000"; a table of one row gets no
        chart (a single bar compares nothing)."""
        ws.append([header_cell(ws, title)])
        billions = f"{headers[2].removeprefix('Amount (').removesuffix(')')} billions"
        ws.append([header_cell(ws, text) for text in [*headers, billions]])
        first = row + 2
        for key, second, amounts in rows:
            ws.append(
                [
                    *label(key, second),
                    *[amount_cell(ws, amount) for amount in amounts],
                    billions_cell(ws, amounts[0]),
                ]
            )
        if len(rows) >= MIN_CATEGORIES:
            chart = BarChart()
            _size(chart)
            chart.title = chart_title
            chart.legend = None
            chart.y_axis.title = billions
            chart.y_axis.number_format = "#,##0.0"
            column = len(headers) + 1
            data = Reference(ws, min_col=column, min_row=first - 1, max_row=first + len(rows) - 1)
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(
                Reference(ws, min_col=1, min_row=first, max_row=first + len(rows) - 1)
            )
            ws.add_chart(chart, next(anchors))
        ws.append([])
        return first + len(rows) + 1


def billions_cell(ws: WriteOnlyWorksheet, amount: int) -> Any:
    """``amount`` in billions, to one decimal place as shown (the exact figure is beside it)."""
    cell = WriteOnlyCell(ws, value=round(amount / 1_000_000_000, 3))
    cell.number_format = "#,##0.0"
    return cell


def _size(chart: BarChart) -> None:
    chart.width, chart.height = CHART_SIZE_CM


def _append_rows(
    ws: WriteOnlyWorksheet,
    first_row: int,
    records: Sequence[Record],
    columns: Sequence[Column],
    context: SheetContext,
) -> None:
    widths = [column.width for column in columns]
    for row, record in enumerate(records, first_row):
        append_wrapped(ws, row, [column.cell(ws, record, context) for column in columns], widths)


def _pivot(
    totals: Sequence[tuple[str, str, str, int]], currencies: Sequence[str]
) -> list[tuple[str, str, list[int]]]:
    """(key, second column, currency, total) rows -> (key, second, [total per currency]) in
    first-seen key order."""
    table: dict[tuple[str, str], list[int]] = {}
    for key, second, currency, total in totals:
        table.setdefault((key, second), [0] * len(currencies))[currencies.index(currency)] = total
    return [(key, second, amounts) for (key, second), amounts in table.items()]


def _discard(workbook: Workbook) -> None:
    """Finish the sheets of an abandoned workbook so their temporary files close in order
    (left to the garbage collector, each half-written sheet reports an lxml error)."""
    for sheet in workbook.worksheets:
        if getattr(sheet, "closed", True) is False:  # a write-only sheet still open
            sheet.close()
