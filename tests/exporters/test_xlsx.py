"""Excel workbook: openpyxl and python-calamine read the same typed values back; no formula
can come from text; header rows are bold, frozen and filtered; the summary has charts; and
LibreOffice opens it headless."""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import subprocess
import threading
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from exporters.xlsx_cells import EXACT_LIMIT, amount_cell, text_cell
from exporters.xlsx_exporter import XlsxExporter
from tests.exporters.sample import BIG_AMOUNT, add_sample
from tests.exporters.support import DATA_SHEETS, export_bytes
from tests.support.ci import unavailable

EXPORTER = XlsxExporter()
SHEETS = ["Summary", *DATA_SHEETS]


@pytest.fixture
async def workbook_bytes(sessions: async_sessionmaker[AsyncSession]) -> bytes:
    async with sessions() as session:
        await add_sample(session)
    return await export_bytes(EXPORTER, sessions)


def _rows(workbook: openpyxl.Workbook, sheet: str) -> list[list[Any]]:
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def _by_header(workbook: openpyxl.Workbook, sheet: str) -> list[dict[str, Any]]:
    header, *rows = _rows(workbook, sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _normalise(value: Any) -> Any:
    """openpyxl gives datetime for date cells and int for whole numbers; calamine may give
    date and float: compare the values, not the Python types chosen by each reader."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None:
        return ""
    return value


async def test_openpyxl_and_calamine_read_the_same_values(workbook_bytes: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(workbook_bytes))
    assert workbook.sheetnames == SHEETS
    assert calamine.sheet_names == SHEETS
    for sheet in SHEETS:
        ours = [[_normalise(v) for v in row] for row in _rows(workbook, sheet)]
        theirs = [
            [_normalise(v) for v in row]
            for row in calamine.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        ]
        width = max(len(row) for row in ours)
        ours = [row + [""] * (width - len(row)) for row in ours]
        theirs = [row + [""] * (width - len(row)) for row in theirs]
        while theirs and not any(theirs[-1]):
            theirs.pop()
        assert theirs == ours, sheet


async def test_numbers_dates_and_fuzzy_dates(workbook_bytes: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    budgets = _by_header(workbook, "Budgets")
    assert budgets[0]["Amount (KRW)"] == BIG_AMOUNT
    assert isinstance(budgets[0]["Amount (KRW)"], int)
    assert workbook["Budgets"]["C2"].number_format == "#,##0"
    milestones = _by_header(workbook, "Milestones")
    first = milestones[0]
    assert first["Date as written"] == "first half of 2023"
    assert (first["Start"], first["End"]) == (datetime(2023, 1, 1), datetime(2023, 6, 30))
    assert workbook["Milestones"]["E2"].is_date
    assert workbook["Milestones"]["E2"].number_format == "yyyy-mm-dd"
    assert milestones[1]["End"] is None  # "2023~" is open-ended
    targets = _by_header(workbook, "Targets")
    assert (targets[0]["Value"], targets[0]["Baseline"]) == (1_000_000, 12.5)
    tasks = _by_header(workbook, "Tasks")
    # Names, not slugs (a name that looks like a formula stays text).
    assert tasks[0]["Technologies"] == "=6G networks, Artificial intelligence"
    assert tasks[2]["Parent task"] == "DSK-I-1"
    laws = _by_header(workbook, "Laws")
    assert laws[0]["Also known as"] == "디지털 권리장전"


async def test_text_never_becomes_a_formula(workbook_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    dangerous = {
        ("Tasks", "G2"): '=HYPERLINK("http://evil")',
        ("Tasks", "F4"): "\tTab-led title",
        ("Strategies", "E2"): "-Global AI leadership",
        ("Strategies", "E3"): "@Digital economy",
        ("Laws", "B2"): "+Digital Bill of Rights",
        ("Budgets", "I3"): "=SUM(A1:A9)",
    }
    for (sheet, coordinate), text in dangerous.items():
        cell = workbook[sheet][coordinate]
        assert cell.value == text, (sheet, coordinate)  # no literal apostrophe added
        assert cell.data_type == "s"
        assert cell.quotePrefix, (sheet, coordinate)


async def test_headers_are_bold_frozen_and_filtered(workbook_bytes: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for sheet in SHEETS[1:]:
        worksheet = workbook[sheet]
        assert worksheet.freeze_panes == "A2", sheet
        assert worksheet["A1"].font.bold, sheet
        assert (
            worksheet.auto_filter.ref
            == f"A1:{get_column_letter(worksheet.max_column)}{worksheet.max_row}"
        )
        assert worksheet.column_dimensions["A"].width >= 8
    sources = workbook["Sources"]
    assert sources["G2"].hyperlink.target == "https://www.msit.go.kr/eng/"
    tasks = workbook["Tasks"]
    assert tasks["P2"].value == "Digital Strategy of Korea — press release"
    assert tasks["P2"].hyperlink.target == "https://www.msit.go.kr/eng/"
    properties = workbook.properties
    assert (properties.title, properties.creator) == ("stratagraph dataset", "stratagraph")
    assert properties.created is not None


async def test_summary_has_computed_totals_and_charts(workbook_bytes: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    rows = _rows(workbook, "Summary")
    # Each total is one kind and period, and says which; a total over 2022–2026 and an annual
    # level of 2023 are never added up or split into years.
    assert ["DSK-I: total over 2022–2026", "-Global AI leadership", BIG_AMOUNT] in [
        r[:3] for r in rows
    ]
    assert ["DSK-II: annual level in 2023", "@Digital economy", 123_456_789] in [
        r[:3] for r in rows
    ]
    assert ["2022/2026", "total over 2022–2026", BIG_AMOUNT] in [r[:3] for r in rows]
    assert ["2023", "annual level in 2023", 123_456_789] in [r[:3] for r in rows]
    assert BIG_AMOUNT + 123_456_789 not in [v for r in rows for v in r]
    assert [2023, 2] in [r[:2] for r in rows]
    assert [2027, 1] in [r[:2] for r in rows]
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 3
        assert b"<barChart>" in archive.read(charts[0])
        assert b"Summary" in archive.read(charts[0])  # its data lives on the Summary sheet


async def test_hyperlinks_stay_within_excels_limit_per_sheet(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("exporters.xlsx_exporter.MAX_LINKS_PER_SHEET", 1)
    async with sessions() as session:
        await add_sample(session)
    workbook = openpyxl.load_workbook(io.BytesIO(await export_bytes(EXPORTER, sessions)))
    sources = workbook["Sources"]
    assert sources["B2"].hyperlink is not None
    assert sources["G2"].hyperlink is None
    assert sources["G2"].value == "https://www.msit.go.kr/eng/"


async def test_a_full_sheet_says_how_many_rows_it_left_out(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("exporters.xlsx_exporter.MAX_ROWS", 3)
    async with sessions() as session:
        await add_sample(session)
    workbook = openpyxl.load_workbook(io.BytesIO(await export_bytes(EXPORTER, sessions)))
    tasks = _rows(workbook, "Tasks")
    assert [row[0] for row in tasks] == [
        "Code",
        "DSK-I-1",
        "2 more rows are not shown: a "
        "sheet holds 3 rows. Narrow the selection, or use "
        "the JSON export.",
    ]
    # 11 columns, kind and outline level, number and outline position, source and quote
    assert workbook["Tasks"].auto_filter.ref == "A1:Q2"


def test_cells_guard_amounts_and_control_characters() -> None:
    worksheet = openpyxl.Workbook(write_only=True).create_sheet("x")
    assert amount_cell(worksheet, EXACT_LIMIT).value == EXACT_LIMIT
    assert amount_cell(worksheet, EXACT_LIMIT + 1) == str(EXACT_LIMIT + 1)  # text, not rounded
    assert text_cell(worksheet, "a\x00b\x07c") == "abc"


async def test_download_over_http(sample_client: httpx.AsyncClient) -> None:
    response = await sample_client.get("/exports/xlsx?plan=digital-strategy-of-korea")
    assert response.status_code == 200
    assert response.headers["content-type"] == EXPORTER.media_type
    assert response.headers["content-disposition"] == (
        'attachment; filename="stratagraph-plan-digital-strategy-of-korea.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == SHEETS


async def test_libreoffice_opens_the_workbook(workbook_bytes: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        unavailable(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        )
    source = tmp_path / "dataset.xlsx"
    source.write_bytes(workbook_bytes)
    # CSV filter options: comma, quote, UTF-8, ..., sheet -1 = one CSV per sheet.
    result = await asyncio.to_thread(
        subprocess.run,
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    budgets = tmp_path / "out" / "dataset-Budgets.csv"
    assert budgets.exists(), (result.stdout, result.stderr)
    rows = list(csv.reader(budgets.read_text(encoding="utf-8").splitlines()))
    assert rows[0][2] == "Amount (KRW)"
    assert rows[1][2].replace(",", "") == str(BIG_AMOUNT)
    tasks = list(csv.reader((tmp_path / "out" / "dataset-Tasks.csv").read_text().splitlines()))
    assert tasks[1][6] == '=HYPERLINK("http://evil")'  # shown as text, never evaluated
    milestones = (tmp_path / "out" / "dataset-Milestones.csv").read_text()
    assert "2023-01-01" in milestones
    assert date(2023, 6, 30).isoformat() in milestones


async def test_rows_are_built_off_the_event_loop(
    seeded_sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sheet row is appended in a worker thread, never on the event loop's."""
    # openpyxl's write-only sheet class (it lives in a private module).
    sheet_class = type(openpyxl.Workbook(write_only=True).create_sheet())
    loop_thread = threading.get_ident()
    threads: list[int] = []
    append = sheet_class.append

    def spying_append(self: Any, row: Any) -> None:
        threads.append(threading.get_ident())
        append(self, row)

    monkeypatch.setattr(sheet_class, "append", spying_append)
    content = await export_bytes(EXPORTER, seeded_sessions)
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    milestones = sum(1 for _row in workbook["Milestones"].iter_rows())
    assert milestones > 10
    data_rows = [t for t in threads if t != loop_thread]
    # Only headers and the summary's few rows are written on the loop.
    assert len(data_rows) >= milestones - 1
    assert len(threads) - len(data_rows) < 60
