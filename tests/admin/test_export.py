"""Excel export: exactly the rows the list shows (all pages), typed cells, no formulas."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import School
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import (
    START,
    add_contact,
    add_course,
    add_school,
    add_student,
    add_waitlist,
    listed,
    mark,
    register,
)


def sheet(client: AdminClient, url: str) -> Worksheet:
    response = client.get(url)
    assert response.status_code == 200, response.text[-1000:]
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]
    worksheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(worksheet, Worksheet)
    return worksheet


def rows(worksheet: Worksheet) -> list[dict[str, Any]]:
    values = list(worksheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def test_export_holds_every_filtered_row_across_pages_in_list_order(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    for n in range(30):
        register(db, add_student(db, f"S{n:02d}"), salsa, created_at=START - timedelta(hours=n))
    register(db, add_student(db, "Other"), tango)
    query = f"?course_id={salsa.id}&sortBy=created_at&sort=asc"
    on_screen = listed(staff_client, "registration", query) + listed(
        staff_client, "registration", query + "&page=2"
    )
    exported = rows(sheet(staff_client, f"/admin/registration/export/xlsx{query}"))
    assert len(exported) == 30
    assert [row["ID"] for row in exported] == on_screen
    assert {row["Course"] for row in exported} == {"Salsa"}


def test_export_follows_search_and_sort(staff_client: AdminClient, db: Database) -> None:
    for name in ("Hill Alpha", "Lake", "Hill Beta"):
        add_school(db, name)
    exported = rows(
        sheet(staff_client, "/admin/school/export/xlsx?search=hill&sortBy=name&sort=desc")
    )
    assert [row["Name"] for row in exported] == ["Hill Beta", "Hill Alpha"]


def test_dates_are_dates_and_amounts_are_numbers(staff_client: AdminClient, db: Database) -> None:
    course = add_course(db, "Salsa", starts_at=START)
    register(db, add_student(db, "Ada"), course, amount="120.50")
    worksheet = sheet(staff_client, "/admin/registration/export/xlsx")
    headers = [cell.value for cell in worksheet[1]]
    row = worksheet[2]
    amount = row[headers.index("Amount")]
    assert amount.data_type == "n"
    assert amount.value == 120.5
    starts = row[headers.index("Course starts")]
    assert starts.is_date
    # Stored as the studio's wall-clock time (UTC by default).
    assert starts.value == datetime(2026, 3, 2, 18, 0)
    assert [cell.font.b for cell in worksheet[1]] == [True] * len(headers)


def test_a_formula_typed_into_a_school_name_exports_as_text(
    staff_client: AdminClient, db: Database
) -> None:
    names = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", "\tx", '=HYPERLINK("http://evil")']
    for name in names:
        add_school(db, name, contact_name=name)
    worksheet = sheet(staff_client, "/admin/school/export/xlsx?sortBy=id")
    cells = [row[1] for row in worksheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == names
    assert all(cell.data_type == "s" for cell in cells)


def test_control_characters_from_the_public_do_not_break_the_file(
    staff_client: AdminClient, db: Database
) -> None:
    with db.write() as session:
        session.add(School(name="Bad\x01\x07\x1bname", comments="line\x0bbreak"))
        session.commit()
    exported = rows(sheet(staff_client, "/admin/school/export/xlsx"))
    assert exported[0]["Name"] == "Badname"
    assert exported[0]["Comments"] == "linebreak"


def test_contact_history_export_filters_by_school(staff_client: AdminClient, db: Database) -> None:
    hill, lake = add_school(db, "Hill"), add_school(db, "Lake")
    add_contact(db, hill, "hill call")
    add_contact(db, lake, "lake call")
    exported = rows(sheet(staff_client, f"/admin/contact-log/export/xlsx?school_id={hill.id}"))
    assert [(row["School"], row["Comment"]) for row in exported] == [("Hill", "hill call")]


def test_waitlist_export_lists_one_course_in_line_order(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    add_waitlist(db, add_student(db, "Second"), salsa, 2)
    add_waitlist(db, add_student(db, "First"), salsa, 1)
    add_waitlist(db, add_student(db, "Elsewhere"), tango, 1)
    exported = rows(sheet(staff_client, f"/admin/waitlist-entry/export/xlsx?course_id={salsa.id}"))
    assert [(row["Position"], row["First name"]) for row in exported] == [
        (1, "First"),
        (2, "Second"),
    ]


def test_attendance_sheet_has_a_row_per_student_and_a_column_per_session(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Salsa")
    hill = add_school(db, "Hill")
    ada = register(db, add_student(db, "Ada", last_name="A"), course, school=hill)
    register(
        db, add_student(db, "Bo", last_name="B"), course, payment_status=PaymentStatus.COMPLETED
    )
    mark(db, ada, "late")
    exported = rows(sheet(staff_client, f"/admin/course/attendance-export/{course.id}"))
    session_column = f"{START:%Y-%m-%d} 18:00"
    assert [(row["Student"], row[session_column]) for row in exported] == [
        ("Ada A", "Late"),
        ("Bo B", None),
    ]
    assert exported[0]["School"] == "Hill"
    assert exported[0]["Late"] == 1
    assert exported[1]["Payment"] == "Paid"


def test_the_list_export_button_carries_the_current_filters(
    staff_client: AdminClient, db: Database
) -> None:
    page = staff_client.get("/admin/registration/list?payment_status=pending&search=ada").text
    assert "/admin/registration/export/xlsx?payment_status=pending&amp;search=ada" in page
