"""One email to the chosen students, a course's bookings or a session's roster: previewed first."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select

from domain.db.database import Database
from domain.db.tables import audit_entries, outgoing_emails, students
from tests.admin.a3_factories import add_course, add_registration, add_session, add_student
from tests.admin.conftest import AdminClient

MESSAGE = "The studio floor is being waxed.\n\nBring clean shoes on Monday."


def _submit(client: AdminClient, slug: str, pks: list[int], **fields: str) -> httpx.Response:
    data = {"pks": ",".join(str(pk) for pk in pks), **fields}
    return client.submit(f"/admin/actions/{slug}/", data)


def _outbox(db: Database) -> list[tuple[str, str, str]]:
    o = outgoing_emails.c
    with db.read() as s:
        rows = s.execute(
            select(o.to_address, o.subject, o.body_text)
            .where(o.kind == "staff_message")
            .order_by(o.to_address)
        )
        return [(to, subject, text) for to, subject, text in rows]


def _audited(db: Database) -> list[str]:
    a = audit_entries.c
    with db.read() as s:
        rows = s.scalars(select(a.entity_id).where(a.action == "email.staff_message"))
        return sorted(str(row) for row in rows)


def _booked(db: Database) -> tuple[int, list[int]]:
    course = add_course(db, "Bachata Series", price=Decimal("50.00"))
    pks = [
        add_registration(db, student_id=add_student(db, first, "Lee"), course_id=course)
        for first in ("Ann", "Bea", "Cal")
    ]
    add_registration(
        db, student_id=add_student(db, "Gone", "Away"), course_id=course, cancelled=True
    )
    return course, pks


def test_the_first_post_shows_a_preview_and_sends_nothing(
    db: Database, staff_client: AdminClient
) -> None:
    _, pks = _booked(db)
    shown = _submit(staff_client, "email-students", pks[:2], subject="Floor", message=MESSAGE)
    assert shown.status_code == 200 and 'id="action-preview"' in shown.text
    assert "To 2 students: Ann Lee &lt;ann.lee@example.org&gt;, Bea Lee" in shown.text
    assert "Hello Ann," in shown.text and "Bring clean shoes on Monday." in shown.text
    assert 'name="previewed"' in shown.text
    assert _outbox(db) == [] and _audited(db) == []


def test_sending_what_was_previewed_queues_one_email_each_and_audits_each(
    db: Database, staff_client: AdminClient
) -> None:
    _, pks = _booked(db)
    shown = _submit(staff_client, "email-students", pks[:2], subject="Floor", message=MESSAGE)
    digest = shown.text.split('name="previewed" value="')[1].split('"')[0]
    sent = _submit(
        staff_client, "email-students", pks[:2], subject="Floor", message=MESSAGE, previewed=digest
    )
    assert sent.status_code == 200 and "The email is queued for 2 students." in sent.text
    outbox = _outbox(db)
    assert [to for to, _, _ in outbox] == ["ann.lee@example.org", "bea.lee@example.org"]
    assert all(subject.startswith("Floor") for _, subject, _ in outbox)
    assert "Hello Bea," in outbox[1][2] and "Bring clean shoes on Monday." in outbox[1][2]
    assert _audited(db) == sorted(str(pk) for pk in pks[:2])


def test_a_text_changed_after_the_preview_is_previewed_again_not_sent(
    db: Database, staff_client: AdminClient
) -> None:
    _, pks = _booked(db)
    shown = _submit(staff_client, "email-students", pks, subject="Floor", message=MESSAGE)
    digest = shown.text.split('name="previewed" value="')[1].split('"')[0]
    again = _submit(
        staff_client, "email-students", pks, subject="Floor", message="Other", previewed=digest
    )
    assert again.status_code == 200 and 'id="action-preview"' in again.text
    assert _outbox(db) == []


def test_everyone_booked_on_a_course_gets_it_but_not_the_cancelled(
    db: Database, staff_client: AdminClient
) -> None:
    course, _ = _booked(db)
    shown = _submit(staff_client, "email-course", [course], subject="Floor", message=MESSAGE)
    assert "To 3 students" in shown.text and "Gone Away" not in shown.text
    digest = shown.text.split('name="previewed" value="')[1].split('"')[0]
    _submit(
        staff_client, "email-course", [course], subject="Floor", message=MESSAGE, previewed=digest
    )
    assert [to for to, _, _ in _outbox(db)] == [
        "ann.lee@example.org",
        "bea.lee@example.org",
        "cal.lee@example.org",
    ]


def test_everyone_on_a_session_roster_gets_it(db: Database, staff_client: AdminClient) -> None:
    course, _ = _booked(db)
    session = add_session(db, course)
    shown = _submit(staff_client, "email-session", [session], subject="Floor", message=MESSAGE)
    assert shown.status_code == 200 and "To 3 students" in shown.text


def test_a_student_without_an_email_address_is_named_in_the_preview(
    db: Database, staff_client: AdminClient
) -> None:
    course, pks = _booked(db)
    student = add_student(db, "No", "Mail")
    with db.write() as s:
        s.execute(students.update().where(students.c.id == student).values(email=None))
        s.commit()
    pks.append(add_registration(db, student_id=student, course_id=course))
    shown = _submit(staff_client, "email-students", pks, subject="Floor", message=MESSAGE)
    assert "Not sent to (no email address): No Mail" in shown.text


def test_an_empty_message_is_refused(db: Database, staff_client: AdminClient) -> None:
    _, pks = _booked(db)
    refused = _submit(staff_client, "email-students", pks, subject="Floor", message=" ")
    assert refused.status_code == 400 and _outbox(db) == []


def test_the_course_and_session_pages_and_the_list_offer_the_email(
    db: Database, staff_client: AdminClient
) -> None:
    course, _ = _booked(db)
    session = add_session(db, course)
    course_page = staff_client.get(f"/admin/course/details/{course}").text
    session_page = staff_client.get(f"/admin/class-session/details/{session}").text
    assert "Email everyone booked" in course_page
    assert "Email the roster" in session_page
    assert "Email students" in staff_client.get("/admin/registration/list").text
    opened = staff_client.get(
        f"/admin/class-session/action/email-session?pks={session}", follow_redirects=False
    )
    assert opened.headers["location"].endswith(f"/admin/actions/email-session/?pks={session}")
