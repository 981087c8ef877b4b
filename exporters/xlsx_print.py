"""How the workbook prints: page setup on every sheet, the Summary on one page.

Each data sheet prints landscape on A4, scaled to the page's width (as many pages down as it
needs), with its header row and key column repeated on every page, and the sheet's name and
page number in the header and footer. Cells whose text is longer than their column, or holds
several lines, wrap inside the cell instead of running over their neighbours. The Summary
is scaled to one page with its tables and whole charts inside the print area.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from exporters.xlsx_cells import WRAP, WriteOnlyWorksheet

# Column widths are in characters; a cell wraps when its text would not fit on one line.
LINE_HEIGHT = 15.0  # points per line of the default 11-point font
MAX_ROW_HEIGHT = 409.0  # Excel's limit
# A width unit fits about one average character; prose runs a little narrower.
CHARACTERS_PER_WIDTH = 1.1
_MARGINS = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)


def set_up_printing(ws: WriteOnlyWorksheet, *, key_columns: int = 1, pages_down: int = 0) -> None:
    """Landscape A4, fit to the page's width (``pages_down`` pages tall; 0: as many as it
    takes), the header row and the first ``key_columns`` columns on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_down
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = _MARGINS
    ws.print_options.gridLines = False
    if pages_down != 1:
        ws.print_title_rows = "1:1"
        if key_columns:
            ws.print_title_cols = f"A:{get_column_letter(key_columns)}"
    ws.oddHeader.left.text = "&A"  # the sheet's name
    ws.oddHeader.right.text = "stratagraph"
    ws.oddFooter.center.text = "Page &P of &N"


def set_up_summary_printing(ws: WriteOnlyWorksheet, last_column: int, last_row: int) -> None:
    """The Summary on one page: its print area reaches past the charts' far corner."""
    set_up_printing(ws, key_columns=0, pages_down=1)
    ws.print_area = f"A1:{get_column_letter(last_column)}{last_row}"


def append_wrapped(
    ws: WriteOnlyWorksheet, row_index: int, cells: Sequence[Any], widths: Sequence[float]
) -> None:
    """Append a row whose long texts wrap, tall enough to show every line: spreadsheet
    readers (LibreOffice among them) keep a file's row heights rather than fit them to
    wrapped text, so the height is set here from the lines each cell's text needs."""
    row = [wrapped(ws, cell, width) for cell, width in zip(cells, widths, strict=True)]
    lines = max((_lines(cell, width) for cell, width in zip(row, widths, strict=True)), default=1)
    if lines > 1:
        ws.row_dimensions[row_index] = RowDimension(
            ws, index=row_index, ht=min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT), customHeight=True
        )
    ws.append(row)
    # The row is written as it is appended: its height need not stay in memory.
    ws.row_dimensions.pop(row_index, None)


def _lines(cell: Any, width: float) -> int:
    value = cell.value if isinstance(cell, Cell) else cell
    if not isinstance(value, str):
        return 1
    room = max(int(width * CHARACTERS_PER_WIDTH), 1)
    return sum(max(1, -(-len(paragraph) // room)) for paragraph in value.split("\n"))


def wrapped(ws: WriteOnlyWorksheet, cell: Any, width: float) -> Any:
    """``cell`` (a cell or a plain value) set to wrap when its text has several lines or is
    wider than the column; other cells are left as they are."""
    value = cell.value if isinstance(cell, Cell) else cell
    if not isinstance(value, str) or ("\n" not in value and len(value) <= width):
        return cell
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(ws, value=value)
    cell.alignment = WRAP
    return cell
