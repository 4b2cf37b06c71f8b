"""Exports that look finished: words, not stored values; money and times as people read them."""

from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select, update

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PricingType
from domain.services.settings import update_setting
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import START, add_course, add_student, register

SCRIPT = Actor.script("export test")
TODAY_FORMAT = "%Y-%m-%d"


def download(client: AdminClient, url: str) -> tuple[Worksheet, str]:
    """The export's first sheet and the Content-Disposition header."""
    response = client.get(url)
    assert response.status_code == 200, response.text[-1000:]
    worksheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(worksheet, Worksheet)
    return worksheet, response.headers["content-disposition"]


def seed(db: Database) -> int:
    """Two registrations of one course: a full course and a drop-in; New York, US dollars."""
    update_setting(db, "timezone", "America/New_York", actor=SCRIPT)
    update_setting(db, "currency", "USD", actor=SCRIPT)
    course = add_course(db, "Contemporary Technique", starts_at=START)
    register(db, add_student(db, "Ada", last_name="A"), course, amount="1234.50")
    drop_in = register(db, add_student(db, "Bo", last_name="B"), course, amount="20.00")
    with db.write() as session:
        held = session.scalar(
            select(t.class_sessions.c.id).where(t.class_sessions.c.course_id == course.id)
        )
        session.execute(
            update(t.registrations)
            .where(t.registrations.c.id == drop_in.id)
            .values(pricing_type=PricingType.DROP_IN, drop_in_session_id=held)
        )
        session.commit()
    return course.id


def test_headers_are_words_in_a_frozen_bold_row_with_a_filter(
    staff_client: AdminClient, db: Database
) -> None:
    seed(db)
    worksheet, _ = download(staff_client, "/admin/registration/export/xlsx?sortBy=id")
    headers = [cell.value for cell in worksheet[1]]
    assert headers[:4] == ["ID", "First name", "Last name", "Email"]
    assert "pricing_type" not in headers and "amount_due" not in headers
    assert all(cell.font.b for cell in worksheet[1])
    assert worksheet.freeze_panes == "A2"
    last_column = worksheet.cell(row=1, column=len(headers)).column_letter
    assert worksheet.auto_filter.ref == f"A1:{last_column}3"
    # Columns sized from their contents, within bounds.
    widths = [worksheet.column_dimensions[cell.column_letter].width for cell in worksheet[1]]
    assert all(6 <= width <= 51 for width in widths)
    course = worksheet.cell(row=1, column=headers.index("Course") + 1).column_letter
    # "Contemporary Technique" needs a wider column than the ids 1 and 2.
    assert worksheet.column_dimensions[course].width >= len("Contemporary Technique")
    assert worksheet.column_dimensions["A"].width < 10


def test_values_are_labels_money_and_studio_clock(staff_client: AdminClient, db: Database) -> None:
    seed(db)
    worksheet, _ = download(staff_client, "/admin/registration/export/xlsx?sortBy=id")
    headers = [cell.value for cell in worksheet[1]]
    first, second = worksheet[2], worksheet[3]
    kind = headers.index("Type")
    assert (first[kind].value, second[kind].value) == ("Full course", "Drop-in")
    assert first[headers.index("Payment")].value == "Pending"
    amount = first[headers.index("Amount")]
    assert amount.data_type == "n" and amount.value == 1234.5
    assert "$" in amount.number_format
    starts = first[headers.index("Course starts")]
    # 18:00 UTC on 2 March 2026 is 13:00 in New York (EST): the wall clock, no zone.
    assert starts.is_date and starts.value == datetime(2026, 3, 2, 13, 0)
    assert "hh:mm" in starts.number_format


def test_a_course_filtered_export_is_named_for_the_course(
    staff_client: AdminClient, db: Database
) -> None:
    course_id = seed(db)
    _, disposition = download(
        staff_client, f"/admin/registration/export/xlsx?course_id={course_id}"
    )
    # The studio's today (New York), whatever the server's zone.
    today = f"{datetime.now(ZoneInfo('America/New_York')):{TODAY_FORMAT}}"
    expected = f"Registrations - Contemporary Technique - {today}.xlsx"
    assert disposition.startswith("attachment; ")
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == expected
    assert f'filename="{expected}"' in disposition


def test_an_unfiltered_export_is_named_for_the_list_and_the_day(
    staff_client: AdminClient, db: Database
) -> None:
    seed(db)
    _, disposition = download(staff_client, "/admin/registration/export/xlsx")
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    day = name.removeprefix("Registrations - ").removesuffix(".xlsx")
    assert datetime.strptime(day, TODAY_FORMAT)
    assert f'filename="Registrations - {day}.xlsx"' in disposition


def test_a_course_title_with_a_colon_names_the_file_with_a_dash(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Ballet: Level 1")
    _, disposition = download(
        staff_client, f"/admin/registration/export/xlsx?course_id={course.id}"
    )
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name.startswith("Registrations - Ballet - Level 1 - ") and name.endswith(".xlsx")
    assert fallback == name


def test_a_title_outside_ascii_keeps_utf8_and_an_ascii_fallback(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Café Tango 💃")
    _, disposition = download(
        staff_client, f"/admin/registration/export/xlsx?course_id={course.id}"
    )
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.startswith("Registrations - Cafe Tango")
    name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert name.startswith("Registrations - Café Tango 💃 - ")


def test_every_export_header_is_words_not_a_stored_name(admin_app: object) -> None:
    # admin_app built the views: their labels are complete.
    from tests.admin.test_export_headers import exported_views

    exported = [
        (view.__name__, header, path)
        for view in exported_views()
        for header, path in view().export_table()[0]
    ]
    assert len(exported) > 50
    raw = [item for item in exported if "_" in item[1] or item[1] == item[2] or "." in item[1]]
    assert raw == []
