"""The workbook prints: page setup on every sheet, the Summary on one page with whole charts,
wrapped multi-line cells tall enough to read, names instead of slugs, chart axes in billions,
no single-category chart, links only to web addresses; and headless LibreOffice turns the
curated dataset's workbook into at most 40 A4 pages, the Summary on one."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from exporters.xlsx_exporter import XlsxExporter
from service.core.dataset_filter import DatasetFilter
from service.core.models import Document
from tests.exporters.support import DATA_SHEETS, export_bytes
from tests.support.ci import unavailable

MAX_PAGES = 40


@pytest.fixture
async def curated_workbook(seeded_sessions: async_sessionmaker[AsyncSession]) -> bytes:
    return await export_bytes(XlsxExporter(), seeded_sessions, batch_size=1000)


def _open(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


async def test_every_sheet_prints_landscape_fit_to_width_with_titles_repeated(
    curated_workbook: bytes,
) -> None:
    workbook = _open(curated_workbook)
    for name in DATA_SHEETS:
        ws = workbook[name]
        assert ws.page_setup.orientation == "landscape", name
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
        assert ws.print_title_rows == "$1:$1", name  # the header row on every page
        assert ws.print_title_cols == "$A:$A", name  # and the key column
    summary = workbook["Summary"]
    assert summary.page_setup.orientation == "landscape"
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)
    assert summary.print_area == "'Summary'!$A$1:$Q$48"
    for chart in summary._charts:  # every chart lies inside the print area
        anchor = chart.anchor._from
        assert anchor.col < 17
        assert anchor.row + 14 < 48  # a 7 cm chart spans about 14 rows


async def test_multi_line_cells_wrap_and_their_rows_are_tall_enough(
    curated_workbook: bytes,
) -> None:
    ws = _open(curated_workbook)["Tasks"]
    widths = {cell.column_letter: ws.column_dimensions[cell.column_letter].width for cell in ws[1]}
    checked = 0
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            text = cell.value
            if isinstance(text, str) and ("\n" in text or len(text) > widths[cell.column_letter]):
                assert cell.alignment.wrap_text, cell.coordinate
                height = ws.row_dimensions[cell.row].height
                assert height is not None
                assert height >= 30, cell.coordinate
                checked += 1
    assert checked > 50


async def test_names_instead_of_slugs(curated_workbook: bytes) -> None:
    workbook = _open(curated_workbook)
    header, *rows = list(workbook["Tasks"].iter_rows(values_only=True))
    technologies = header.index("Technologies")
    laws = header.index("Laws")
    tagged = [row[technologies] for row in rows if row[technologies]]
    assert any("Artificial intelligence" in text for text in tagged)
    assert not any(part.strip() == "ai" for text in tagged for part in text.split(","))
    mentioned = [row[laws] for row in rows if row[laws]]
    assert mentioned
    assert not any("-" in part and " " not in part for t in mentioned for part in t.split(", "))
    plan_header, *strategies = list(workbook["Strategies"].iter_rows(values_only=True))
    plans = {row[plan_header.index("Plan")] for row in strategies}
    assert "Digital Strategy of Korea" in plans
    # The slugs are still there, in the sheets that list the laws themselves.
    law_header, *law_rows = list(workbook["Laws"].iter_rows(values_only=True))
    assert law_header[0] == "Slug"
    assert all("-" in row[0] or row[0].isalnum() for row in law_rows)


async def test_charts_plot_billions_and_never_a_single_category(
    curated_workbook: bytes,
) -> None:
    summary = _open(curated_workbook)["Summary"]
    assert summary._charts
    for chart in summary._charts:
        categories = chart.series[0].cat.numRef or chart.series[0].cat.strRef
        ref = categories.f.split("!")[1].replace("$", "")
        first, last = ref.split(":")
        assert int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) > int(
            first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        ), "a chart with one category"
    titled = [c for c in summary._charts if c.y_axis.title is not None]
    money = [c for c in titled if "billion" in _title(c.y_axis.title)]
    assert money  # the budget-by-year chart
    for chart in money:
        values_ref = chart.series[0].val.numRef.f
        column = values_ref.split("!")[1].split(":")[0].strip("$").rstrip("0123456789$")
        plotted = [
            summary[f"{column}{row}"].value
            for row in range(2, summary.max_row + 1)
            if isinstance(summary[f"{column}{row}"].value, float | int)
        ]
        assert plotted
        assert max(plotted) < 100_000  # billions, not 13-digit won


def _title(title: Any) -> str:
    return " ".join(run.t for paragraph in title.tx.rich.p for run in (paragraph.r or []) if run.t)


async def test_hyperlinks_only_where_the_data_has_a_web_address(
    seeded_db: AsyncConnection, seeded_sessions: async_sessionmaker[AsyncSession]
) -> None:
    await seeded_db.execute(
        update(Document)
        .where(Document.slug == "digital-strategy-of-korea")
        .values(url="javascript:alert(1)")
    )
    await seeded_db.execute(
        update(Document)
        .where(Document.slug != "digital-strategy-of-korea")
        .values(url="https://www.msit.go.kr/eng/plan")
    )
    workbook = _open(
        await export_bytes(XlsxExporter(), seeded_sessions, DatasetFilter(), batch_size=1000)
    )
    targets = {
        cell.hyperlink.target
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }
    assert targets == {"https://www.msit.go.kr/eng/plan"}


async def test_libreoffice_prints_the_curated_workbook_on_at_most_40_pages(
    curated_workbook: bytes, tmp_path: Path, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the same workbook on every engine: printed once")
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        unavailable(
            "LibreOffice and pdftotext are needed: "
            "apt-get install libreoffice-calc-nogui poppler-utils"
        )
    source = tmp_path / "curated.xlsx"
    source.write_bytes(curated_workbook)
    converted = await asyncio.to_thread(
        subprocess.run,
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert converted.returncode == 0, converted.stderr
    text = await asyncio.to_thread(
        subprocess.run,
        [pdftotext, "-layout", str(tmp_path / "curated.pdf"), "-"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    pages = [page for page in text.stdout.split("\f") if page.strip()]
    # Each page's header names its sheet (&A): count the pages of each sheet.
    sheet_of = [
        max((n for n in ("Summary", *DATA_SHEETS) if page.strip().startswith(n)), key=len)
        for page in pages
    ]
    assert len(pages) <= MAX_PAGES
    assert sheet_of.count("Summary") == 1
    assert sheet_of[0] == "Summary"
    for name in DATA_SHEETS:
        assert name in sheet_of, name
    # The Summary's page holds its tables and its charts' titles, none cut to another page.
    assert "Budget totals by period" in pages[0]
    assert "Budget by period" in pages[0]
    assert "Milestones by year" in pages[0]
