"""Files become rows of text: encodings, delimiters, formulas, dates and numbers."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ValidationError
from domain.imports.columns import ImportKind, guess_mapping
from domain.imports.reading import read_sheet
from tests.imports.sheets import MESSY_STUDENTS, csv_bytes, xlsx_bytes


def test_a_bom_csv_reads_its_first_header_without_the_mark() -> None:
    sheet = read_sheet("roster.csv", csv_bytes([["Email", "Name"], ["a@x.org", "Zoë"]], bom=True))
    assert sheet.headers == ["Email", "Name"]
    assert sheet.rows[0].cells == ["a@x.org", "Zoë"]


def test_a_semicolon_csv_is_split_on_semicolons() -> None:
    data = csv_bytes([["Email", "Name"], ["a@x.org", "Ana, Maria"]], delimiter=";")
    sheet = read_sheet("roster.csv", data)
    assert sheet.rows[0].cells == ["a@x.org", "Ana, Maria"]


def test_a_windows_1252_csv_keeps_its_accents() -> None:
    sheet = read_sheet("roster.csv", "Name\tEmail\nJosé\tj@x.org\n".encode("cp1252"))
    assert sheet.rows[0].cells == ["José", "j@x.org"]


def test_blank_rows_are_left_out_and_rows_keep_their_spreadsheet_numbers() -> None:
    sheet = read_sheet("roster.xlsx", xlsx_bytes(MESSY_STUDENTS))  # type: ignore[arg-type]
    assert [row.line for row in sheet.rows] == [2, 4, 5, 6, 7, 8]
    assert sheet.rows[0].cells[0] == "Ana"  # trailing space gone
    assert sheet.rows[3].cells[0] == '=HYPERLINK("x")'  # a formula comes in as text


def test_xlsx_numbers_and_dates_read_as_a_person_would() -> None:
    data = xlsx_bytes([["Phone", "Joined"], [5550101, date(2026, 3, 4)]])
    assert read_sheet("a.xlsx", data).rows[0].cells == ["5550101", "2026-03-04"]


def test_another_file_type_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValidationError, match=r"\.xlsx or \.csv"):
        read_sheet("roster.pdf", b"%PDF")


def test_headers_match_by_label_or_alias_without_case() -> None:
    headers = ["  First Name ", "SURNAME", "E-mail", "Phone Number", "Notes"]
    sheet_headers = [" ".join(h.split()) for h in headers]
    mapping = guess_mapping(ImportKind.STUDENTS, sheet_headers)
    assert mapping == {"first_name": 0, "last_name": 1, "email": 2, "phone": 3, "notes": 4}
    assert guess_mapping(ImportKind.STUDENTS, ["Email address"]) == {"email": 0}
