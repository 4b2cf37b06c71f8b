"""Write Excel files that stay small in memory and never run a formula.

XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as
soon as the next row starts, so memory stays flat however many rows the export
has; the finished workbook is then streamed back to the browser in chunks and
deleted. Every text is written with ``write_string``: a cell that starts with
``=`` holds that text, it is never a formula.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from operator import attrgetter
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.responses import StreamingResponse
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from domain import formatting
from domain.services.settings import load_settings

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Text starting with one of these would be read as a formula (or DDE) by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The writer, named by the benchmark.
WRITER = f"XlsxWriter {xlsxwriter.__version__} (constant_memory)"
#: Rows a worksheet holds (Excel's limit), header included.
MAX_ROWS = 1_048_576
_CHUNK = 64 * 1024
#: Characters XML 1.0 cannot hold (tab, line feed and carriage return are allowed).
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Characters Excel refuses in a sheet's name, and whitespace runs (collapsed to one space).
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\s]+")
_TITLE_LENGTH = 31
#: Characters a file name cannot hold on some system (and quotes, kept out of the header).
_FILENAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*\s]+')
#: A colon between words ("Ballet: Level 1") reads as the dash between a file name's parts.
_FILENAME_COLON = re.compile(r"\s*:+\s*")

#: One exported column: its header and how to read it from a row (dotted path or function).
ExportColumn = tuple[str, str | Callable[[Any], Any]]
#: Writes one value into (row, column) of a sheet.
_CellWriter = Callable[[int, int, Any], Any]


def studio_zone(session: Session) -> ZoneInfo:
    """The studio's time zone: exported times are its wall-clock times."""
    return ZoneInfo(load_settings(session).timezone)


def studio_currency(session: Session) -> str:
    """The currency setting: amounts are shown with its symbol."""
    return load_settings(session).currency


def clean_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold (they would corrupt the file)."""
    # isprintable() is a fast test that holds for nearly every cell: nothing to remove then.
    return text if text.isprintable() else _ILLEGAL_CHARACTERS.sub("", text)


def column_value(obj: Any, column: ExportColumn) -> Any:
    """``column`` read from ``obj``: a dotted path (None when a step is None) or a function."""
    return column_getter(column)(obj)


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


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A name Excel accepts: no []:*?/\\, no edge apostrophes, ≤ 31 characters, unique."""
    text = _TITLE_FORBIDDEN.sub(" ", clean_text(title)).strip(" '")
    text = _fit(text, _TITLE_LENGTH) or "Export"
    if text.lower() == "history":  # reserved by Excel
        text = "Export"
    used = {name.lower() for name in taken}
    unique, number = text, 2
    while unique.lower() in used:
        suffix = f" ({number})"
        unique, number = _fit(text, _TITLE_LENGTH - len(suffix)) + suffix, number + 1
    return unique


def _fit(text: str, limit: int) -> str:
    # Excel counts UTF-16 units: a character outside the BMP (an emoji) counts twice.
    while len(text.encode("utf-16-le")) > limit * 2:
        text = text[:-1]
    return text.rstrip(" '")


class _Formats:
    """The workbook's cell formats, made once for all its sheets."""

    def __init__(self, workbook: Workbook, currency: str) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.time = workbook.add_format({"num_format": "hh:mm"})
        self.amount = workbook.add_format({"num_format": money_format(currency)})


def money_format(currency: str) -> str:
    """An Excel number format showing the currency's symbol: '"$"#,##0.00;-"$"#,##0.00'."""
    symbol = formatting.currency_symbol(currency).replace('"', "")
    number = "#,##0" if currency == "JPY" else "#,##0.00"
    return f'"{symbol}"{number};-"{symbol}"{number}'


class _Cells:
    """Writes values into one sheet as typed cells: dates, amounts as numbers, text as text.

    Text goes through ``write_string``, never ``write``: text that looks like a
    formula stays text.
    """

    def __init__(self, sheet: Worksheet, formats: _Formats, zone: tzinfo) -> None:
        self.formats = formats
        self.zone = zone
        self.string = sheet.write_string
        self.number = sheet.write_number
        self.datetime = sheet.write_datetime
        # The writer of each value type, found once per type (isinstance chains per cell cost).
        self.writers: dict[type, _CellWriter] = {}

    def header(self, headers: Sequence[str]) -> None:
        for column, header in enumerate(headers):
            self.string(0, column, clean_text(str(header)), self.formats.bold)

    def row(self, row: int, values: Iterable[Any]) -> None:
        writers = self.writers
        for column, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            write = writers.get(kind)
            if write is None:
                write = writers[kind] = self._writer_for(kind)
            write(row, column, value)

    def _writer_for(self, kind: type) -> _CellWriter:
        # Order matters: bool is an int, datetime is a date, a StrEnum is a str.
        if issubclass(kind, str):
            return self._text
        if issubclass(kind, bool):
            return self._yes_no
        if issubclass(kind, datetime):
            return self._datetime
        if issubclass(kind, date):
            return self._date
        if issubclass(kind, time):
            return self._time
        if issubclass(kind, Decimal):
            return self._amount
        if issubclass(kind, int | float):
            return self._number
        return self._other

    def _text(self, row: int, column: int, value: str) -> None:
        text = clean_text(str(value))
        if text:
            self.string(row, column, text)

    def _yes_no(self, row: int, column: int, value: bool) -> None:
        self.string(row, column, "yes" if value else "no")

    def _datetime(self, row: int, column: int, value: datetime) -> None:
        if value.tzinfo is not None:
            # Excel has no time zones: show the studio's wall-clock time.
            value = value.astimezone(self.zone).replace(tzinfo=None)
        self.datetime(row, column, value, self.formats.datetime)

    def _date(self, row: int, column: int, value: date) -> None:
        self.datetime(row, column, value, self.formats.date)

    def _time(self, row: int, column: int, value: time) -> None:
        self.datetime(row, column, value.replace(tzinfo=None), self.formats.time)

    def _amount(self, row: int, column: int, value: Decimal) -> None:
        if value.is_finite():
            self.number(row, column, float(value), self.formats.amount)
        else:
            self._text(row, column, str(value))

    def _number(self, row: int, column: int, value: float) -> None:
        # Excel has no NaN or infinity: those are shown as text rather than refused.
        if math.isfinite(value):
            self.number(row, column, value)
        else:
            self._text(row, column, str(value))

    def _other(self, row: int, column: int, value: Any) -> None:
        self._text(row, column, str(value))


#: Text is text: XlsxWriter must never turn a string into a formula, a number or a link.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


#: Rows read to size the columns (the header and these); later rows do not widen them.
WIDTH_SAMPLE = 200
#: Column widths, in characters: no narrower, and no wider, than these.
MIN_WIDTH, MAX_WIDTH = 6, 50
#: Width of a cell that is not text (a date, a time, an amount).
_TYPED_WIDTH = 16


def write_workbook(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    zone: tzinfo,
    currency: str = "USD",
) -> str:
    """Write (title, headers, rows) sheets to a temporary .xlsx file and return its path.

    Each sheet has a bold header row that stays in view, a filter on every
    column, and columns as wide as the header and the first rows need.
    """
    handle, path = tempfile.mkstemp(prefix="rollbook-export-", suffix=".xlsx")
    os.close(handle)
    workbook = Workbook(path, {**WORKBOOK_OPTIONS, "tmpdir": tempfile.gettempdir()})
    try:
        _write_sheets(workbook, sheets, zone, currency)
        workbook.close()
    except BaseException:
        _discard(workbook, path)
        raise
    return path


def _write_sheets(
    workbook: Workbook,
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    zone: tzinfo,
    currency: str,
) -> None:
    formats = _Formats(workbook, currency)
    titles: list[str] = []
    for title, headers, rows in sheets:
        titles.append(sheet_title(title, titles))
        worksheet = workbook.add_worksheet(titles[-1])
        cells = _Cells(worksheet, formats, zone)
        cells.header(headers)
        widths = [len(str(header)) + 3 for header in headers]  # room for the filter button
        write_row = cells.row
        last = 0
        for number, row in enumerate(rows, start=1):
            if number >= MAX_ROWS:
                raise ValueError(f"An Excel sheet holds at most {MAX_ROWS - 1:,} rows.")
            if number <= WIDTH_SAMPLE:
                row = list(row)
                _widen(widths, row)
            write_row(number, row)
            last = number
        _lay_out(worksheet, widths, last)


def _widen(widths: list[int], row: Sequence[Any]) -> None:
    for column, value in enumerate(row[: len(widths)]):
        if value is None:
            continue
        if isinstance(value, str | int | float):  # a bool reads "yes" / "no": short too
            width = len(str(value))
        elif isinstance(value, Decimal):
            width = len(f"{value:,.2f}") + 4  # the currency's symbol
        else:
            width = _TYPED_WIDTH
        widths[column] = max(widths[column], width + 1)


def _lay_out(worksheet: Worksheet, widths: Sequence[int], last_row: int) -> None:
    """Header row frozen in view, a filter over every column, capped column widths."""
    if not widths:
        return
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, last_row, len(widths) - 1)
    for column, width in enumerate(widths):
        worksheet.set_column(column, column, min(max(width, MIN_WIDTH), MAX_WIDTH))


def _discard(workbook: Workbook, path: str) -> None:
    # close() also deletes the per-sheet temporary files; the half-written export goes.
    # Already failing: the first error is the one raised, not one from closing.
    with contextlib.suppress(Exception):
        workbook.close()
    _remove(path)


def export_filename(*parts: str, day: date) -> str:
    """'Registrations - Contemporary Technique - 2026-11-29.xlsx': what it holds, and when.

    A colon, which no file name may hold, becomes a dash: "Ballet: Level 1" -> "Ballet - Level 1".
    """
    words = [_file_words(clean_text(part)) for part in parts]
    return " - ".join([*(word for word in words if word), f"{day:%Y-%m-%d}"]) + ".xlsx"


def _file_words(part: str) -> str:
    pieces = (
        _FILENAME_FORBIDDEN.sub(" ", piece).strip(" .") for piece in _FILENAME_COLON.split(part)
    )
    return " - ".join(piece for piece in pieces if piece)


def ascii_filename(filename: str) -> str:
    """``filename`` for browsers that read only ASCII: accents dropped, other letters '_'."""
    plain = "".join(
        unicodedata.normalize("NFKD", character).encode("ascii", "ignore").decode() or "_"
        for character in filename
    )
    return re.sub(r"[^A-Za-z0-9 ._()-]+", "_", plain).strip() or "export.xlsx"


def content_disposition(filename: str) -> str:
    """An attachment named ``filename``: an ASCII fallback, and the exact name as UTF-8."""
    return (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def xlsx_response(path: str, filename: str) -> StreamingResponse:
    """Stream the file at ``path`` as a download, then delete it."""
    return StreamingResponse(
        _chunks(path),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": content_disposition(filename)},
        background=BackgroundTask(_remove, path),
    )


def _chunks(path: str) -> Iterator[bytes]:
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            yield chunk


def _remove(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
