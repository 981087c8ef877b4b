"""Safe, typed worksheet cells: numbers as numbers, dates as dates, text never a formula.

Text that Excel or LibreOffice would read as a formula (leading ``=``, ``+``, ``-``, ``@``,
tab or carriage return) is stored as a string cell with the quote-prefix style, never with a
literal apostrophe (which would become part of the value). Amounts are exact in a cell up to
2**53 (Excel numbers are IEEE doubles): won amounts up to about 9e15. Larger amounts are
written as text so no reader ever sees a rounded amount; the JSON export is exact always.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from service.core.text_rules import url_problem

# A write-only workbook's sheet (``Workbook(write_only=True).create_sheet()``): openpyxl keeps
# its class in a private module and ships no types, so it is named here, not imported.
WriteOnlyWorksheet = Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # Excel's limit per cell
EXACT_LIMIT = 2**53
DATE_FORMAT = "yyyy-mm-dd"
AMOUNT_FORMAT = "#,##0"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LINK_FONT = Font(color="0563C1", underline="single")
WRAP = Alignment(wrap_text=True, vertical="top")


def clean_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; keep the cell within Excel's length limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def text_cell(ws: WriteOnlyWorksheet, text: str) -> Any:
    text = clean_text(text)
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    cell.quotePrefix = True
    return cell


def header_cell(ws: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = BOLD
    cell.fill = HEADER_FILL
    return cell


def date_cell(ws: WriteOnlyWorksheet, value: date | None) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):  # Excel has no time zones: UTC, naive
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def amount_cell(ws: WriteOnlyWorksheet, amount: int | None) -> Any:
    if amount is None:
        return None
    if abs(amount) > EXACT_LIMIT:
        return text_cell(ws, str(amount))
    cell = WriteOnlyCell(ws, value=amount)
    cell.number_format = AMOUNT_FORMAT
    return cell


def link_cell(ws: WriteOnlyWorksheet, text: str | None, url: str | None) -> Any:
    """``text`` linked to ``url`` when that is an http(s) URL; any other URL (``javascript:``,
    a file path) is never made clickable: the text stays, without a link."""
    if not text:
        return None
    if not url or url_problem(url) is not None:
        return text_cell(ws, text)
    cell = WriteOnlyCell(ws, value=clean_text(text))
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    cell.hyperlink = url
    cell.font = LINK_FONT
    return cell


def value_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """Any plain record value as a cell (or a plain value openpyxl writes as is)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return date_cell(ws, value)
    if isinstance(value, str):
        return text_cell(ws, value)
    if isinstance(value, list):
        return text_cell(ws, ", ".join(str(item) for item in value)) if value else None
    return text_cell(ws, str(value))
