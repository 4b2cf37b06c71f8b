"""Messy real-world sheets, built in the tests (xlsx with openpyxl, csv as bytes)."""

from __future__ import annotations

import io

from openpyxl import Workbook

#: A roster as schools send them: mixed-case headers with spaces, a blank row,
#: trailing spaces, the same email twice (in another case), a formula-like name,
#: a date typed as text, a bad email and a row without a name.
MESSY_STUDENTS = [
    ["  First Name ", "SURNAME", "E-mail", "Phone Number", "Notes"],
    ["Ana ", " Lopez", "Ana.Lopez@Example.org ", "555-0101", "joined 03/04/2026"],
    ["", "", "", "", ""],
    ["Ben", "Okafor", "ben@example.org", "555-0102", ""],
    ["Benjamin", "Okafor", "BEN@example.org", "", "second copy"],
    ['=HYPERLINK("x")', "Formula", "formula@example.org", "", ""],
    ["Cleo", "Nguyen", "not-an-email", "", ""],
    ["", "Nameless", "nameless@example.org", "", ""],
]


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            # openpyxl would store "=..." as a formula; the sheet holds it as typed text.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
