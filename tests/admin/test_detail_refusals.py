"""A move that does not apply to a row's state is refused when its form is posted, with a
clear message and nothing changed; the moves that apply do what their button says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx
from sqlalchemy import ColumnElement, Table, func, select

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import WaitlistStatus
from domain.model import StaffUser
from tests.admin import a3_factories as a3
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import buttons
from tests.admin.views_seed import add_student


def _act(client: AdminClient, slug: str, pk: int, **fields: str) -> httpx.Response:
    return client.submit(f"/admin/actions/{slug}/", {"pks": str(pk), **fields})


def _count(db: Database, table: Table, *where: ColumnElement[bool]) -> int:
    with db.read() as session:
        found = session.scalar(select(func.count()).select_from(table).where(*where))
        return int(found or 0)


def _refused(answer: httpx.Response, message: str) -> None:
    assert answer.status_code == 400, answer.text[-500:]
    assert message in answer.text
    # No form to send again: only the way back to the row.
    assert 'id="action-form"' not in answer.text


def test_publishing_a_published_course_is_refused_and_changes_nothing(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Open Class")  # published
    audits = _count(db, t.audit_entries)
    _refused(_act(staff_client, "publish-course", course), "This course is already published.")
    assert _count(db, t.audit_entries) == audits
    # Opening the form says so too.
    _refused(
        staff_client.get(f"/admin/actions/publish-course/?pks={course}"),
        "This course is already published.",
    )


def test_unpublish_then_publish_flip_the_course_and_its_button(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Open Class")
    done = _act(staff_client, "unpublish-course", course)
    assert done.status_code == 200 and done.url.path == f"/admin/course/details/{course}"
    assert buttons(done.text)[0] == "Publish" and "Unpublish" not in buttons(done.text)
    with db.read() as session:
        assert session.scalar(select(t.courses.c.is_published)) is False
    _refused(_act(staff_client, "unpublish-course", course), "This course is not published.")
    again = _act(staff_client, "publish-course", course)
    assert "Unpublish" in buttons(again.text)
    assert _count(db, t.audit_entries, t.audit_entries.c.entity_type == "Course") == 2


def test_registering_a_student_on_a_course_that_has_ended_is_refused(
    db: Database, staff_client: AdminClient
) -> None:
    over = a3.add_course(db, "Last Term", starts_at=utcnow() - timedelta(days=30))
    student = a3.add_student(db, "Late", "Comer", email="late@example.org")
    fields = {"student": str(student), "pricing_type": "full_package", "override_reason": ""}
    _refused(_act(staff_client, "register-student", over, **fields), "This course has ended.")
    # From the student's page, a course that is over is not offered, and refused if sent.
    assert (
        "Last Term"
        not in staff_client.get(f"/admin/actions/register-for-course/?pks={student}").text
    )
    answer = _act(
        staff_client,
        "register-for-course",
        student,
        course_id=str(over),
        pricing_type="full_package",
        override_reason="",
    )
    assert answer.status_code == 400 and "Choose one of the options for Course" in answer.text
    assert _count(db, t.registrations) == 0


def test_a_student_is_registered_for_a_course_from_their_page(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Open Class")
    student = a3.add_student(db, "Jamie", "Newcomer")
    form = staff_client.get(f"/admin/actions/register-for-course/?pks={student}")
    assert form.status_code == 200 and "Open Class" in form.text
    done = _act(
        staff_client,
        "register-for-course",
        student,
        course_id=str(course),
        pricing_type="full_package",
        override_reason="",
    )
    assert done.status_code == 200 and "Registered: registration #" in done.text
    r = t.registrations.c
    assert _count(db, t.registrations, r.student_id == student, r.course_id == course) == 1


def test_the_seat_is_offered_only_to_the_student_next_in_line(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Open Class")
    w = t.waitlist_entries.c
    for position, name in ((1, "Wendy"), (2, "Walt")):
        student = add_student(db, name, email=f"{name.lower()}@example.org")
        with db.write() as session:
            session.execute(
                t.waitlist_entries.insert().values(
                    course_id=course, student_id=student.id, position=position, joined_at=utcnow()
                )
            )
            session.commit()
    with db.read() as session:
        first, second = session.scalars(select(w.id).order_by(w.position)).all()
    emails = _count(db, t.outgoing_emails)
    _refused(_act(staff_client, "offer-seat", second, confirmed="yes"), "ahead in line")
    assert _count(db, t.outgoing_emails) == emails
    assert _count(db, t.waitlist_entries, w.status == WaitlistStatus.OFFERED.value) == 0
    done = _act(staff_client, "offer-seat", first, confirmed="yes")
    assert done.status_code == 200 and "offered to this student" in done.text
    with db.read() as session:
        assert session.scalar(select(w.status).where(w.id == first)) == WaitlistStatus.OFFERED
    assert _count(db, t.outgoing_emails) == emails + 1
    # Offered now: not offered twice.
    _refused(_act(staff_client, "offer-seat", first, confirmed="yes"), "already been offered")


def test_removing_a_student_who_left_the_waitlist_is_refused(
    db: Database, staff_client: AdminClient
) -> None:
    course = a3.add_course(db, "Open Class")
    student = add_student(db, "Wendy", email="wendy@example.org")
    with db.write() as session:
        session.execute(
            t.waitlist_entries.insert().values(
                course_id=course,
                student_id=student.id,
                position=None,
                status=WaitlistStatus.REMOVED.value,
                joined_at=utcnow(),
            )
        )
        session.commit()
    with db.read() as session:
        entry = session.scalar(select(t.waitlist_entries.c.id))
    assert entry is not None
    _refused(
        _act(staff_client, "remove-waitlist-entry", entry, reason="gone", confirmed="yes"),
        "This student has already left the waitlist.",
    )


def test_a_profile_link_goes_only_to_a_student_with_an_email(
    db: Database, staff_client: AdminClient
) -> None:
    without = add_student(db, "Kim", last_name="Noemail")
    _refused(
        _act(staff_client, "send-profile-link", without.id or 0),
        "This student has no email address",
    )
    assert _count(db, t.outgoing_emails) == 0
    jamie = add_student(db, "Jamie", email="jamie@example.org")
    done = _act(staff_client, "send-profile-link", jamie.id or 0)
    assert done.status_code == 200 and "jamie@example.org" in done.text
    o = t.outgoing_emails.c
    assert _count(db, t.outgoing_emails, o.to_address == "jamie@example.org") == 1


def test_emailing_an_empty_roster_is_refused(db: Database, staff_client: AdminClient) -> None:
    course = a3.add_course(db, "Open Class")
    session_id = a3.add_session(db, course)
    _refused(
        _act(staff_client, "email-session", session_id, subject="Hi", message="Hello"),
        "No one is on this session",
    )
    assert _count(db, t.outgoing_emails) == 0


def test_a_deactivated_account_cannot_be_deactivated_or_reset_again(
    db: Database, superuser_client: AdminClient, make_staff_user: Callable[..., StaffUser]
) -> None:
    gone = make_staff_user("former", is_active=False)
    for page in ("deactivate", "reset-password"):
        answer = superuser_client.submit(f"/admin/staff-user/{page}/{gone.id}")
        _refused(answer, "This account is deactivated")
    assert _count(db, t.audit_entries) == 0
