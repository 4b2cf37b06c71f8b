"""A spreadsheet as rows of text: .xlsx through python-calamine, .csv through the csv module.

Every cell comes in as text, as the person typed it: a formula-like cell
("=SUM(A1)", "+1 555", "@home") is kept as those characters and never
evaluated; a number that is whole reads without ".0" (phone numbers, ids); a
date reads as its ISO day.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineError, CalamineWorkbook

from domain.errors import ValidationError

#: How many characters of a csv file the delimiter sniffer reads.
_SNIFF_CHARS = 64 * 1024
_DELIMITERS = ",;\t"


@dataclass(frozen=True)
class SheetRow:
    #: The row's number as the spreadsheet shows it (the header row is usually 1).
    line: int
    cells: list[str]


@dataclass
class Sheet:
    headers: list[str]
    rows: list[SheetRow] = field(default_factory=list)


def read_sheet(filename: str, data: bytes) -> Sheet:
    """The header row and the non-blank rows after it; refused when the file cannot be read."""
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        grid = _xlsx_rows(data)
    elif filename.lower().endswith((".csv", ".txt", ".tsv")):
        grid = _csv_rows(data)
    else:
        raise ValidationError("Choose a spreadsheet saved as .xlsx or .csv.", field="file")
    return _sheet(grid)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without its byte-order mark), else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    sample = text[:_SNIFF_CHARS]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=_DELIMITERS
        )
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = max(_DELIMITERS, key=first_line.count)

        class _Plain(csv.excel):
            pass

        _Plain.delimiter = delimiter
        dialect = _Plain
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        grid = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        raise ValidationError(
            "This file could not be read as a spreadsheet; save it again as .xlsx or .csv.",
            field="file",
        ) from exc
    return [[cell_text(cell) for cell in row] for row in grid]


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _sheet(grid: list[list[str]]) -> Sheet:
    numbered = [
        SheetRow(line=index + 1, cells=[cell.strip() for cell in row])
        for index, row in enumerate(grid)
        if any(cell.strip() for cell in row)
    ]
    if not numbered:
        raise ValidationError("This file is empty: it needs a header row and rows below it.")
    header, *rows = numbered
    return Sheet(headers=[" ".join(h.split()) for h in header.cells], rows=rows)
