"""Personal data on request from a student's page: the download (JSON and Excel) and the
erasure, with its confirmation naming the student and its refusal while a booking is open."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from decimal import Decimal

import httpx
from openpyxl import load_workbook
from sqlalchemy import func, select

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from tests.admin import a3_factories as a3
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import bar, buttons, link_of, red_buttons

ERASE = "/admin/actions/erase-personal-data/"


def _student_with_a_past_course(db: Database) -> tuple[int, int]:
    course = a3.add_course(
        db, "Tango Intensive", starts_at=utcnow() - timedelta(days=60), price=Decimal("80.00")
    )
    student = a3.add_student(db, "Wilhelmina", "Brackenbury", email="wil.brack@example.org")
    a3.add_registration(
        db,
        student_id=student,
        course_id=course,
        amount=Decimal("80.00"),
        status=PaymentStatus.COMPLETED,
    )
    return student, course


def _audits(db: Database, action: str) -> int:
    a = t.audit_entries.c
    with db.read() as s:
        return int(s.scalar(select(func.count()).where(a.action == action)) or 0)


def _erase(client: AdminClient, pk: int, **fields: str) -> httpx.Response:
    return client.submit(ERASE, {"pks": str(pk), **fields})


def test_the_students_page_offers_the_download_and_the_erasure_apart_in_red(
    db: Database, staff_client: AdminClient
) -> None:
    student, _ = _student_with_a_past_course(db)
    page = staff_client.get(f"/admin/student/details/{student}").text
    assert "Erase personal data" in red_buttons(page)
    assert "Personal data" in bar(page)
    offer = staff_client.get(link_of(page, "Personal data"))
    assert offer.status_code == 200
    assert "Personal data of Wilhelmina Brackenbury" in offer.text


def test_the_json_download_holds_every_kind_of_record_and_is_audited(
    db: Database, staff_client: AdminClient
) -> None:
    student, _ = _student_with_a_past_course(db)
    answer = staff_client.submit(f"/admin/students/{student}/personal-data", {"format": "json"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert "Personal data - Wilhelmina Brackenbury - " in answer.headers["content-disposition"]
    document = json.loads(answer.content)
    assert document["profile"][0]["email"] == "wil.brack@example.org"
    assert [r["course"] for r in document["registrations"]] == ["Tango Intensive"]
    assert [p["amount_due"] for p in document["payments"]] == ["80.00"]
    assert set(document) >= {"attendance", "waitlist", "emails", "audit entries"}
    assert _audits(db, "student.export_personal_data") == 1


def test_the_excel_download_has_a_sheet_per_kind_of_record(
    db: Database, staff_client: AdminClient
) -> None:
    student, _ = _student_with_a_past_course(db)
    answer = staff_client.submit(f"/admin/students/{student}/personal-data", {"format": "xlsx"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert book.sheetnames == [
        "Profile",
        "Registrations",
        "Attendance",
        "Waitlist",
        "Emails",
        "Audit entries",
        "Payments",
    ]
    profile = list(book["Profile"].values)
    assert "Email" in profile[0] and "wil.brack@example.org" in profile[1]
    assert list(book["Waitlist"].values) == [("Nothing stored",)]
    assert _audits(db, "student.export_personal_data") == 1


def test_erasure_asks_by_name_then_erases_and_the_button_goes(
    db: Database, staff_client: AdminClient
) -> None:
    student, _ = _student_with_a_past_course(db)
    form = staff_client.get(f"{ERASE}?pks={student}")
    assert form.status_code == 200
    assert "Erase the personal data of Wilhelmina Brackenbury" in form.text
    # Not without ticking the box.
    unticked = _erase(staff_client, student)
    assert unticked.status_code == 400 and "Tick the box to confirm." in unticked.text
    assert _audits(db, "student.erase_personal_data") == 0

    done = _erase(staff_client, student, confirmed="yes")
    assert done.status_code == 200
    assert f"they are now Erased student #{student}" in done.text
    page = staff_client.get(f"/admin/student/details/{student}").text
    assert f"Erased student #{student}" in page
    assert "Wilhelmina" not in page and "wil.brack@example.org" not in page
    assert buttons(page) == ["Classify", "Edit"]
    assert _audits(db, "student.erase_personal_data") == 1


def test_erasure_is_refused_with_the_reason_while_a_booking_is_unpaid(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Salsa Next Month", price=Decimal("50.00"))
    student = a3.add_student(db, "Bartholomew", "Finch")
    a3.add_registration(
        db,
        student_id=student,
        course_id=course,
        amount=Decimal("50.00"),
        status=PaymentStatus.PENDING,
    )
    refused = _erase(staff_client, student, confirmed="yes")
    assert refused.status_code == 400
    assert "This student has 1 unpaid registration: cancel it first" in refused.text
    assert 'id="action-form"' not in refused.text
    assert _audits(db, "student.erase_personal_data") == 0
    page = staff_client.get(f"/admin/student/details/{student}").text
    assert "Bartholomew" in page


def test_the_excel_download_shows_states_in_words_and_times_as_dates(
    db: Database, staff_client: AdminClient
) -> None:
    student, _ = _student_with_a_past_course(db)
    answer = staff_client.submit(f"/admin/students/{student}/personal-data", {"format": "xlsx"})
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    header, row = list(book["Payments"].values)[:2]
    payment = dict(zip(header, row, strict=True))
    assert payment["Payment status"] == "Paid"
    registration = dict(zip(*list(book["Registrations"].values)[:2], strict=True))
    assert isinstance(registration["Created at"], datetime)
