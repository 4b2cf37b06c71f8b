"""The xlsx writer and the export rows: text stays text, plain rows equal what objects show."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from admin_site.export.rows import export_rows, plain_rows_statement
from admin_site.export.workbook import (
    FORMULA_PREFIXES,
    column_getter,
    content_disposition,
    export_filename,
    sheet_title,
    write_workbook,
)
from admin_site.views.courses import CourseView
from admin_site.views.people import StudentView
from admin_site.views.registrations import AttendanceView, RegistrationView, WaitlistEntryView
from domain.db import tables as t
from domain.db.database import Database
from domain.model import Attendance, Course, Registration, Student, WaitlistEntry
from tests.admin.conftest import AdminClient
from tests.admin.test_export import rows, sheet
from tests.admin.views_seed import (
    add_course,
    add_school,
    add_student,
    add_waitlist,
    mark,
    register,
)

FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://evil")']


def _excel_text(raw: str) -> str:
    """A string as Excel reads it: the file format escapes a carriage return as _x000D_."""
    text = re.sub(r"_x(?!005F)([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), raw)
    return text.replace("_x005F_", "_")


def test_every_formula_prefix_is_written_as_a_string_never_a_formula() -> None:
    assert {text[0] for text in FORMULAS} == set(FORMULA_PREFIXES)
    path = write_workbook([("Sheet", ["Text"], [[text] for text in FORMULAS])], zone=UTC)
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        worksheet = load_workbook(path).active
        assert worksheet is not None
        cells = [row[0] for row in worksheet.iter_rows(min_row=2)]
    finally:
        Path(path).unlink()
    assert "<f>" not in xml and "<f " not in xml
    assert [cell.data_type for cell in cells] == ["s"] * len(FORMULAS)
    assert [_excel_text(str(cell.value)) for cell in cells] == FORMULAS


def test_formula_looking_student_details_export_as_text_in_the_registrations_export(
    staff_client: AdminClient, db: Database
) -> None:
    student = add_student(db, "=1+1", last_name="+SUM(A1:A2)", phone="-2+3", title="@cmd")
    register(db, student, add_course(db, '=HYPERLINK("http://evil")'))
    worksheet = sheet(staff_client, "/admin/registration/export/xlsx")
    headers = [cell.value for cell in worksheet[1]]
    row = worksheet[2]
    expected = {
        "First name": "=1+1",
        "Last name": "+SUM(A1:A2)",
        "Phone": "-2+3",
        "Job title": "@cmd",
        "Course": '=HYPERLINK("http://evil")',
    }
    for header, text in expected.items():
        cell = row[headers.index(header)]
        assert (cell.value, cell.data_type) == (text, "s"), header


def test_the_registrations_export_keeps_its_columns_and_values(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa")
    hill = add_school(db, "Hill")
    register(db, add_student(db, "Ada", last_name="Lovelace", email="ada@example.org"), course)
    register(db, add_student(db, "Bo", last_name="Diddley"), course, school=hill, amount="99.90")
    exported = rows(sheet(staff_client, "/admin/registration/export/xlsx?sortBy=id&sort=asc"))
    assert list(exported[0]) == [header for header, _ in RegistrationView().export_table()[0]]
    ada, bo = exported
    assert (ada["First name"], ada["Email"], ada["School"], ada["Course"]) == (
        "Ada",
        "ada@example.org",
        None,
        "Salsa",
    )
    assert (bo["Last name"], bo["School"], bo["Amount"], bo["Payment"]) == (
        "Diddley",
        "Hill",
        99.9,
        "Pending",
    )
    assert bo["Course starts"] == datetime(2026, 3, 2, 18, 0)


def test_plain_rows_hold_exactly_what_the_objects_show(db: Database) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    hill = add_school(db, "Hill")
    ada = add_student(db, "Ada", email="ada@example.org", school_id=hill.id)
    bo = add_student(db, "Bo")
    register(db, ada, salsa, school=hill, amount="12.34")
    register(db, bo, salsa)
    register(db, bo, tango)
    add_waitlist(db, ada, tango, 1)
    # A join the list made for its filter must not clash with the export's own joins.
    joined = (
        select(Registration)
        .join(Registration.course)
        .where(t.courses.c.title == "Salsa")
        .order_by(t.registrations.c.id.desc())
    )
    registration_columns = RegistrationView().export_table()[0]
    cases = [
        (Registration, registration_columns, select(Registration)),
        (Registration, registration_columns, joined),
        (Student, StudentView().export_table()[0], select(Student)),
        (WaitlistEntry, WaitlistEntryView().export_table()[0], select(WaitlistEntry)),
        (Course, CourseView().export_table()[0], select(Course)),
    ]
    with db.read() as session:
        for model, columns, stmt in cases:
            ordered = stmt if stmt is joined else stmt.order_by(model.id)  # type: ignore[attr-defined]
            assert plain_rows_statement(ordered, model, columns) is not None, model
            getters = [column_getter(column) for column in columns]
            objects = [[get(obj) for get in getters] for obj in session.scalars(ordered)]
            assert objects, model
            assert [list(row) for row in export_rows(session, ordered, model, columns)] == objects


def test_columns_read_by_python_properties_export_from_objects_in_batches(db: Database) -> None:
    course = add_course(db, "Salsa")
    for name in ("Ada", "Bo", "Cy"):
        mark(db, register(db, add_student(db, name, last_name="X"), course))
    columns = AttendanceView().export_table()[0]
    stmt = select(Attendance).order_by(t.attendance.c.id)
    # "registration.student.full_name" is a Python property: no plain-row statement for it.
    assert plain_rows_statement(stmt, Attendance, columns) is None
    with db.read() as session:
        exported = list(export_rows(session, stmt, Attendance, columns, batch=2))
    names = [row[[h for h, _ in columns].index("Student")] for row in exported]
    assert names == ["Ada X", "Bo X", "Cy X"]


def test_sheet_titles_excel_would_refuse_are_cleaned() -> None:
    assert (
        sheet_title("Attendance Salsa: beginners / advanced [eve]")
        == "Attendance Salsa beginners adva"
    )
    assert sheet_title("'quoted'") == "quoted"
    assert sheet_title("\x01\x02") == "Export"
    assert sheet_title("History") == "Export"
    assert sheet_title("Salsa", ["salsa"]) == "Salsa (2)"
    assert len(sheet_title("x" * 40, ["x" * 31]).encode("utf-16-le")) <= 62
    assert len(sheet_title("💃" * 20).encode("utf-16-le")) <= 62


def test_attendance_export_of_a_course_whose_title_no_sheet_name_allows(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa: beginners / advanced [evening] on Mondays")
    register(db, add_student(db, "Ada", last_name="A"), course)
    response = staff_client.get(f"/admin/course/attendance-export/{course.id}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Attendance Salsa beginners adva"]
    assert [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == ["Ada A"]  # type: ignore[union-attr]


def test_dates_times_and_amounts_keep_their_types_and_the_studio_clock() -> None:
    paris = ZoneInfo("Europe/Paris")
    values = [datetime(2026, 7, 1, 16, 30, tzinfo=UTC), Decimal("1234.5"), True, False, 7]
    path = write_workbook([("S", ["a", "b", "c", "d", "e"], [values])], zone=paris)
    try:
        worksheet = load_workbook(path).active
        assert worksheet is not None
        cells = next(worksheet.iter_rows(min_row=2))
    finally:
        Path(path).unlink()
    assert cells[0].value == datetime(2026, 7, 1, 18, 30)
    assert cells[0].number_format == "yyyy-mm-dd hh:mm"
    assert (cells[1].value, cells[1].number_format) == (1234.5, '"$"#,##0.00;-"$"#,##0.00')
    assert [cells[2].value, cells[3].value, cells[4].value] == ["yes", "no", 7]


def test_registrations_export_follows_the_search_and_filter_with_plain_rows(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    hill = add_school(db, "Hill")
    register(db, add_student(db, "Ada", last_name="Hill"), salsa)
    register(db, add_student(db, "Adam", last_name="Lake"), salsa, school=hill)
    register(db, add_student(db, "Adele", last_name="Hill"), tango)
    register(db, add_student(db, "Bo", last_name="Hill"), salsa)
    query = f"?search=ada&course_id={salsa.id}&sortBy=id&sort=desc"
    exported = rows(sheet(staff_client, f"/admin/registration/export/xlsx{query}"))
    assert [(row["First name"], row["School"], row["Course"]) for row in exported] == [
        ("Adam", "Hill", "Salsa"),
        ("Ada", None, "Salsa"),
    ]


def test_an_export_that_fails_midway_leaves_no_files_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every temporary file (the workbook and the writer's per-sheet rows) goes to tmp_path.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def failing_rows() -> Iterator[list[object]]:
        yield ["fine"]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        write_workbook([("Sheet", ["Text"], failing_rows())], zone=UTC)
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_holds_no_character_a_system_or_the_header_refuses() -> None:
    name = export_filename("Registrations", 'Salsa: "Hot" / Cool?', day=date(2026, 11, 29))
    assert name == "Registrations - Salsa - Hot Cool - 2026-11-29.xlsx"
    assert export_filename("Registrations", "", day=date(2026, 11, 29)) == (
        "Registrations - 2026-11-29.xlsx"
    )
    header = content_disposition("Inscriptions - Café 💃 - 2026-11-29.xlsx")
    assert header.startswith('attachment; filename="Inscriptions - Cafe _ - 2026-11-29.xlsx"; ')
    exact = "Inscriptions%20-%20Caf%C3%A9%20%F0%9F%92%83%20-%202026-11-29.xlsx"
    assert header.endswith(f"filename*=UTF-8''{exact}")


def test_a_colon_in_a_title_reads_as_a_dash_in_the_file_name() -> None:
    day = date(2026, 11, 29)
    assert export_filename("Registrations", "Ballet: Level 1", day=day) == (
        "Registrations - Ballet - Level 1 - 2026-11-29.xlsx"
    )
    assert export_filename("Attendance", "Jazz:  Funk : Level 2", day=day) == (
        "Attendance - Jazz - Funk - Level 2 - 2026-11-29.xlsx"
    )
    # A title that is only a colon adds nothing.
    assert export_filename("Registrations", " : ", day=day) == "Registrations - 2026-11-29.xlsx"
