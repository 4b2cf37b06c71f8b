"""Write Excel files that stay small in memory and never run a formula.

openpyxl's write-only mode streams rows to a temporary file as they are added,
so memory stays flat however many rows the export has; the finished workbook
is then streamed back to the browser in chunks and deleted.
"""

from __future__ import annotations

import os
import re
import tempfile
import time as clock
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse

from domain.services.settings import load_settings

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Text starting with one of these would be read as a formula (or DDE) by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 64 * 1024

#: One exported column: its header and how to read it from a row (dotted path or function).
ExportColumn = tuple[str, str | Callable[[Any], Any]]


def studio_zone(session: Session) -> ZoneInfo:
    """The studio's time zone: exported times are its wall-clock times."""
    return ZoneInfo(load_settings(session).timezone)


def clean_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold (they would corrupt the file)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def read_path(obj: Any, path: str) -> Any:
    """The value at a dotted attribute path, or None when a step on the way is None."""
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def column_value(obj: Any, column: ExportColumn) -> Any:
    getter = column[1]
    return read_path(obj, getter) if isinstance(getter, str) else getter(obj)


def column_getter(column: ExportColumn) -> Callable[[Any], Any]:
    """A function reading ``column`` from a row, its dotted path split once, not per row."""
    getter = column[1]
    if not isinstance(getter, str):
        return getter
    parts = getter.split(".")
    if len(parts) == 1:
        return attrgetter(getter)

    def read(obj: Any) -> Any:
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    return read


def excel_cell(sheet: WriteOnlyWorksheet, value: Any, zone: tzinfo) -> Any:
    """A value or cell openpyxl can write: dates as dates, amounts as numbers, text as text."""
    if value is None:
        return None
    if isinstance(value, str):
        # Most cells are text: tested first, as the last branch below would, but sooner.
        text = clean_text(str(value))
        return text_cell(sheet, text) if text.startswith(FORMULA_PREFIXES) else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            # Excel has no time zones: show the studio's wall-clock time.
            value = value.astimezone(zone).replace(tzinfo=None)
        return _formatted(sheet, value, "yyyy-mm-dd hh:mm")
    if isinstance(value, date):
        return _formatted(sheet, value, "yyyy-mm-dd")
    if isinstance(value, time):
        return _formatted(sheet, value, "hh:mm")
    if isinstance(value, Decimal):
        return _formatted(sheet, value, "#,##0.00")
    if isinstance(value, int | float):
        return value
    text = clean_text(str(value))
    if text.startswith(FORMULA_PREFIXES):
        return text_cell(sheet, text)
    # Plain text is written as a string as it is; only formula-like text needs a typed cell.
    return text


def text_cell(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    """A cell that holds ``text`` as a string, even when it looks like a formula."""
    cell = WriteOnlyCell(sheet, value=clean_text(text))
    # openpyxl would store "=..." as a formula; a string cell is never evaluated.
    cell.data_type = "s"
    return cell


def _formatted(sheet: WriteOnlyWorksheet, value: Any, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def write_workbook(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]], *, zone: tzinfo
) -> str:
    """Write (title, headers, rows) sheets to a temporary .xlsx file and return its path."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=clean_text(title)[:31] or "Export")
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = text_cell(sheet, header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([excel_cell(sheet, value, zone) for value in row])
    handle, path = tempfile.mkstemp(prefix="rollbook-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
    except BaseException:
        os.unlink(path)
        raise
    return path


def export_filename(name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "export"
    return f"{safe}_{clock.strftime('%Y-%m-%d_%H-%M-%S')}.xlsx"


def xlsx_response(path: str, filename: str) -> StreamingResponse:
    """Stream the file at ``path`` as a download, then delete it."""
    return StreamingResponse(
        _chunks(path),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        background=BackgroundTask(_remove, path),
    )


def _chunks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            yield chunk


def _remove(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
