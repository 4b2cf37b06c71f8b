"""Roll call at the front desk: school groups only where there are schools, unpaid students
flagged, neighbouring sessions, the session chooser and the printable sign-in sheet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from domain.db.database import Database
from domain.enums import PaymentStatus, PricingType
from domain.model import Registration
from tests.admin.a3_factories import (
    add_course,
    add_registration,
    add_school,
    add_session,
    add_student,
)
from tests.admin.conftest import AdminClient


def _today() -> date:
    # The organisation's time zone is UTC by default.
    return datetime.now(UTC).date()


@dataclass
class DanceCourse:
    """Three sessions (inserted out of date order), four booked, no one from a school."""

    course_id: int
    last_week: int
    today: int
    next_week: int
    paid: int
    free: int
    pending: int
    pending_too: int
    cancelled: int
    drop_in: int


def dance_course(db: Database) -> DanceCourse:
    course = add_course(db, "Salsa Basics", starts_at=datetime.now(UTC) - timedelta(days=8))
    next_week = add_session(db, course, _today() + timedelta(days=7))
    last_week = add_session(db, course, _today() - timedelta(days=7))
    today = add_session(db, course, _today())

    def booked(first: str, last: str, status: str, *, cancelled: bool = False) -> int:
        student = add_student(db, first, last)
        return add_registration(
            db, student_id=student, course_id=course, status=status, cancelled=cancelled
        )

    paid = booked("Rosa", "Diaz", PaymentStatus.COMPLETED)
    free = booked("Theo", "Wong", PaymentStatus.NOT_REQUIRED)
    pending = booked("Uma", "Khan", PaymentStatus.PENDING)
    pending_too = booked("Vic", "Adams", PaymentStatus.PENDING)
    cancelled = booked("Wes", "Cole", PaymentStatus.PENDING, cancelled=True)
    drop_in = booked("Zoe", "Park", PaymentStatus.PENDING)
    with db.write() as s:
        registration = s.get(Registration, drop_in)
        assert registration is not None
        registration.pricing_type = PricingType.DROP_IN
        registration.drop_in_session_id = today
        s.commit()
    return DanceCourse(
        course, last_week, today, next_week, paid, free, pending, pending_too, cancelled, drop_in
    )


def teacher_course(db: Database) -> tuple[int, int]:
    """A teacher course with two schools and one teacher without a school; its one session."""
    elm, oak = add_school(db, "Elm High"), add_school(db, "Oak Academy")
    course = add_course(db, "Teaching First Aid", starts_at=datetime.now(UTC) - timedelta(hours=1))
    for first, last, school in [("Ann", "Lee", oak), ("Bob", "Ray", elm), ("Cy", "Dee", None)]:
        student = add_student(db, first, last, school_id=school)
        add_registration(db, student_id=student, course_id=course)
    return course, add_session(db, course)


def _mark(client: AdminClient, session_id: int, registration_id: int, status: str) -> None:
    response = client.post(
        f"/admin/sessions/{session_id}/rollcall/mark",
        json={"registration_id": registration_id, "status": status},
        headers=client.csrf_headers(),
    )
    assert response.status_code == 200


def _row(html: str, registration_id: int) -> str:
    return html.split(f'id="student-{registration_id}"', 1)[1].split("</li>", 1)[0]


def test_a_course_without_school_students_is_one_list_without_school_headings(
    db: Database, staff_client: AdminClient
) -> None:
    dance = dance_course(db)
    html = staff_client.get(f"/admin/sessions/{dance.today}/rollcall/").text
    assert 'class="rollcall-school-name"' not in html
    assert "No school" not in html
    names = re.findall(r'class="rollcall-name"[^>]*>([^<]+)<', html)
    assert [n.strip() for n in names] == [
        "Vic Adams",
        "Rosa Diaz",
        "Uma Khan",
        "Zoe Park",
        "Theo Wong",
    ]


def test_a_course_with_school_students_is_grouped_by_school(
    db: Database, staff_client: AdminClient
) -> None:
    _, session_id = teacher_course(db)
    html = staff_client.get(f"/admin/sessions/{session_id}/rollcall/").text
    headings = re.findall(r'class="rollcall-school-name">([^<]+)<', html)
    assert [h.strip() for h in headings] == ["Elm High", "Oak Academy", "No school"]
    # One session: no neighbours, and no chooser that would only lead back here.
    assert 'data-nav="previous"' not in html and 'data-nav="next"' not in html
    assert 'data-nav="course-sessions"' not in html


def test_only_students_whose_payment_is_pending_are_flagged_unpaid(
    db: Database, staff_client: AdminClient
) -> None:
    dance = dance_course(db)
    html = staff_client.get(f"/admin/sessions/{dance.today}/rollcall/").text
    flagged = {
        rid
        for rid in (dance.paid, dance.free, dance.pending, dance.pending_too, dance.drop_in)
        if "Unpaid" in _row(html, rid)
    }
    assert flagged == {dance.pending, dance.pending_too, dance.drop_in}
    assert html.count("data-unpaid") == 3
    assert f'id="student-{dance.cancelled}"' not in html


def test_previous_and_next_link_the_neighbouring_sessions_by_date_and_back_to_the_course(
    db: Database, staff_client: AdminClient
) -> None:
    dance = dance_course(db)

    def links(session_id: int) -> dict[str, str]:
        html = staff_client.get(f"/admin/sessions/{session_id}/rollcall/").text
        found = re.findall(r'data-nav="([\w-]+)"\s+href="([^"]+)"', html)
        found += [(n, h) for h, n in re.findall(r'href="([^"]+)"\s+data-nav="([\w-]+)"', html)]
        return dict(found)

    middle = links(dance.today)
    assert middle["previous"].endswith(f"/admin/sessions/{dance.last_week}/rollcall/")
    assert middle["next"].endswith(f"/admin/sessions/{dance.next_week}/rollcall/")
    assert middle["course"].endswith(f"/admin/course/details/{dance.course_id}")
    assert middle["course-sessions"].endswith(f"/admin/courses/{dance.course_id}/rollcall/")
    first, last = links(dance.last_week), links(dance.next_week)
    assert "previous" not in first
    assert first["next"].endswith(f"/admin/sessions/{dance.today}/rollcall/")
    assert last["previous"].endswith(f"/admin/sessions/{dance.today}/rollcall/")
    assert "next" not in last


def test_the_session_chooser_marks_today_and_shows_marked_of_total(
    db: Database, staff_client: AdminClient
) -> None:
    dance = dance_course(db)
    _mark(staff_client, dance.today, dance.paid, "present")
    _mark(staff_client, dance.today, dance.drop_in, "late")
    _mark(staff_client, dance.last_week, dance.free, "absent")
    page = staff_client.get(f"/admin/courses/{dance.course_id}/rollcall/")
    assert page.status_code == 200
    rows = {
        int(sid): body
        for sid, body in re.findall(r'data-session="(\d+)">(.*?)</li>', page.text, re.S)
    }
    assert list(rows) == [dance.last_week, dance.today, dance.next_week]

    def marks(sid: int) -> str:
        found = re.search(r"data-marks>([^<]+)<", rows[sid])
        assert found is not None
        return found.group(1).strip()

    # Four course students everywhere; the drop-in only on today's session.
    assert marks(dance.last_week) == "1 of 4 marked"
    assert marks(dance.today) == "2 of 5 marked"
    assert marks(dance.next_week) == "0 of 4 marked"
    assert [sid for sid, body in rows.items() if "data-today" in body] == [dance.today]
    assert 'aria-current="date"' in rows[dance.today]
    assert "Today" in rows[dance.today]
    shortcut = re.search(r'data-today-link href="([^"]+)"', page.text)
    assert shortcut is not None
    assert shortcut.group(1).endswith(f"/admin/sessions/{dance.today}/rollcall/")
    assert f"/admin/course/details/{dance.course_id}" in page.text


def test_the_sign_in_sheet_lists_every_active_registrant_with_an_empty_signature_column(
    db: Database, staff_client: AdminClient
) -> None:
    dance = dance_course(db)
    link = staff_client.get(f"/admin/sessions/{dance.today}/rollcall/").text
    assert f"/admin/sessions/{dance.today}/rollcall/sheet" in link
    page = staff_client.get(f"/admin/sessions/{dance.today}/rollcall/sheet")
    assert page.status_code == 200
    html = page.text
    assert '<th scope="col" class="sheet-signature">Signature</th>' in html
    rows = re.findall(r'<tr data-registration="(\d+)">(.*?)</tr>', html, re.S)
    assert [int(rid) for rid, _ in rows] == [
        dance.pending_too,
        dance.paid,
        dance.pending,
        dance.drop_in,
        dance.free,
    ]
    for _, body in rows:
        assert re.search(r"<td class=\"sheet-signature\" data-signature></td>", body)
    assert "Rosa Diaz" in html and "Wes Cole" not in html
    # Students pass the sheet round: it does not show who has not paid.
    assert "unpaid" not in html.lower()
    assert "School</th>" not in html
    assert "@media print" in staff_client.get("/admin/rollbook-static/rollcall.css").text


def test_the_sign_in_sheet_of_a_teacher_course_has_a_school_column(
    db: Database, staff_client: AdminClient
) -> None:
    _, session_id = teacher_course(db)
    html = staff_client.get(f"/admin/sessions/{session_id}/rollcall/sheet").text
    assert "School</th>" in html
    cells = re.findall(
        r"<tr data-registration=\"\d+\">\s*<td[^>]*>\d+</td>\s*<td>([^<]+)</td>\s*<td>([^<]*)</td>",
        html,
    )
    assert cells == [("Bob Ray", "Elm High"), ("Ann Lee", "Oak Academy"), ("Cy Dee", "")]
