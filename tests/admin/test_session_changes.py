"""Staff move or cancel a class session from its page: everyone booked is emailed, the
change is audited, and a session that has started cannot be changed."""

from __future__ import annotations

from datetime import date, time

import httpx
from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import ClassSession
from tests.admin.conftest import AdminClient
from tests.admin.detail_bar import buttons
from tests.factories import insert
from tests.integration.reminder_seed import book, seed_course


def _act(client: AdminClient, pk: int, **fields: str) -> httpx.Response:
    data = {"pks": str(pk), "confirmed": "yes", **fields}
    return client.submit("/admin/actions/change-session/", data)


def _outbox(db: Database, kind: str) -> list[tuple[str, str, str]]:
    o = t.outgoing_emails.c
    with db.read() as s:
        rows = s.execute(
            select(o.to_address, o.subject, o.body_text)
            .where(o.kind == kind)
            .order_by(o.to_address)
        )
        return [(to, subject.split(" - ")[0], text) for to, subject, text in rows]


def _session(db: Database, pk: int) -> tuple[date, time | None, str, bool]:
    """The session's date, start, own place, and whether it is cancelled."""
    with db.read() as s:
        found = s.get(ClassSession, pk)
        assert found is not None
        return (
            found.session_date,
            found.start_time,
            found.location,
            found.cancelled_at is not None,
        )


def _audits(db: Database, action: str) -> list[str]:
    a = t.audit_entries.c
    with db.read() as s:
        return [str(r) for r in s.scalars(select(a.reason).where(a.action == action))]


def test_moving_a_session_emails_everyone_booked_on_it(
    db: Database, staff_client: AdminClient
) -> None:
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    book(db, seeded.course_id, "Ben")
    # Dora drops in on the second class only: the first's move is not hers.
    book(db, seeded.course_id, "Dora", drop_in_session=seeded.second_session)
    page = staff_client.page(f"/admin/class-session/details/{seeded.first_session}")
    assert "Move or cancel" in buttons(page.text)
    form = staff_client.page(f"/admin/actions/change-session/?pks={seeded.first_session}")
    assert 'value="2030-03-06"' in form.text and 'value="18:00"' in form.text

    done = _act(
        staff_client,
        seeded.first_session,
        what="move",
        session_date="2030-03-07",
        start_time="19:00",
        end_time="21:00",
        location="Studio B",
        reason="The hall is being painted",
    )
    assert done.status_code == 200, done.text[-800:]
    assert "The session is moved; 2 students will be emailed." in done.text
    assert _session(db, seeded.first_session) == (date(2030, 3, 7), time(19), "Studio B", False)
    emails = _outbox(db, "session_moved")
    assert [(to, subject) for to, subject, _ in emails] == [
        ("ana@example.org", "Class moved: Tango Basics, now Thu 7 Mar 2030, 19:00\u201321:00"),
        ("ben@example.org", "Class moved: Tango Basics, now Thu 7 Mar 2030, 19:00\u201321:00"),
    ]
    text = emails[0][2]
    assert "was on Wed 6 Mar 2030, 18:00\u201320:00 at Hall A" in text
    assert "Where: Studio B" in text and "Reason: The hall is being painted" in text
    assert "/registrations/cancel/" in text
    assert _audits(db, "class_session.move") == ["The hall is being painted"]


def test_cancelling_a_session_emails_everyone_booked_and_marks_it_cancelled(
    db: Database, staff_client: AdminClient
) -> None:
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    # The form posts the date and times it was filled with; a cancel ignores them.
    kept = {"session_date": "2030-03-06", "start_time": "18:00"}
    done = _act(staff_client, seeded.first_session, what="cancel", reason="Teacher is ill", **kept)
    assert "The session is cancelled; 1 student will be emailed." in done.text
    assert _session(db, seeded.first_session)[3]
    [(to, subject, text)] = _outbox(db, "session_cancelled")
    assert to == "ana@example.org"
    assert subject == "Class cancelled: Tango Basics, Wed 6 Mar 2030, 18:00\u201320:00"
    assert "Reason: Teacher is ill" in text
    # Cancelled is final: the move is no longer offered, and refused if posted.
    page = staff_client.page(f"/admin/class-session/details/{seeded.first_session}")
    assert "Move or cancel" not in buttons(page.text)
    again = _act(staff_client, seeded.first_session, what="cancel", reason="Twice", **kept)
    assert again.status_code == 400 and "This session is cancelled." in again.text


def test_a_past_session_cannot_be_moved(db: Database, staff_client: AdminClient) -> None:
    seeded = seed_course(db)
    past = insert(
        db,
        ClassSession(
            course_id=seeded.course_id,
            session_date=date(2020, 1, 8),
            start_time=time(18),
            end_time=time(20),
        ),
    )
    refusal = "This session has already started; a past session cannot be moved or cancelled."
    page = staff_client.page(f"/admin/class-session/details/{past}")
    assert "Move or cancel" not in buttons(page.text)
    opened = staff_client.get(f"/admin/actions/change-session/?pks={past}")
    assert opened.status_code == 400 and refusal in opened.text
    posted = _act(
        staff_client,
        past,
        what="move",
        session_date="2030-01-01",
        start_time="18:00",
        reason="Late",
    )
    assert posted.status_code == 400 and refusal in posted.text
    assert _session(db, past)[0] == date(2020, 1, 8)
    assert _audits(db, "class_session.move") == []


def test_a_move_without_a_reason_or_onto_another_session_is_refused(
    db: Database, staff_client: AdminClient
) -> None:
    seeded = seed_course(db)
    no_reason = _act(
        staff_client,
        seeded.first_session,
        what="move",
        session_date="2030-03-07",
        start_time="18:00",
        reason="",
    )
    assert no_reason.status_code == 400 and "Reason is required." in no_reason.text
    clash = _act(
        staff_client,
        seeded.first_session,
        what="move",
        session_date="2030-03-13",
        start_time="18:00",
        reason="Merge",
    )
    assert "Another session of this course already meets at that date and time." in clash.text
    assert _session(db, seeded.first_session)[0] == date(2030, 3, 6)
