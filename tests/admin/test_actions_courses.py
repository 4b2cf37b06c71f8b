"""Course, waitlist and student actions: sessions, staff registration, offers, line, types."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from domain.actors import Actor
from domain.db.database import Database
from domain.db.tables import courses, registrations, students, waitlist_entries
from domain.services.registration import StudentDetails
from domain.services.waitlist import join_waitlist
from tests.admin.a3_factories import add_course, add_registration, add_student, sessions_of
from tests.admin.conftest import AdminClient

PUBLIC = Actor.public("203.0.113.9")


def _act(client: AdminClient, slug: str, pks: str, **fields: str) -> httpx.Response:
    return client.submit(f"/admin/actions/{slug}/", {"pks": pks, **fields})


def _full_course_with_line(db: Database, waiting: int = 3) -> tuple[int, list[int]]:
    """A one-seat course, its seat taken, and ``waiting`` students in line."""
    course = add_course(db, "Crew Practice", capacity=1)
    add_registration(db, student_id=add_student(db, "Seat", "Holder"), course_id=course)
    entries = []
    for n in range(waiting):
        details = StudentDetails(email=f"wait{n}@example.org", first_name=f"Wait{n}")
        entries.append(join_waitlist(db, course_id=course, student=details, actor=PUBLIC).id or 0)
    return course, entries


def _line(db: Database, course_id: int) -> list[tuple[int, int | None, str]]:
    w = waitlist_entries.c
    with db.read() as s:
        rows = s.execute(
            select(w.id, w.position, w.status).where(w.course_id == course_id).order_by(w.id)
        )
        return [(i, p, st) for i, p, st in rows]


def test_generate_sessions_creates_them_once(db: Database, staff_client: AdminClient) -> None:
    course = add_course(db, "Workshop")
    first = _act(staff_client, "generate-sessions", str(course))
    assert first.status_code == 200 and "Created 1 session." in first.text
    again = _act(staff_client, "generate-sessions", str(course))
    assert again.status_code == 200 and "nothing was added" in again.text
    assert len(sessions_of(db, course)) == 1


def test_staff_register_a_student_past_capacity_with_a_reason(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Full House", capacity=1)
    add_registration(db, student_id=add_student(db, "First", "In"), course_id=course)
    add_student(db, "Late", "Comer", email="late@example.org")
    fields = {"student": "LATE@example.org", "pricing_type": "full_package"}
    no_reason = _act(staff_client, "register-student", str(course), **fields, override_reason="")
    assert no_reason.status_code == 400
    assert "bends the capacity rule; please give a reason." in no_reason.text
    done = _act(
        staff_client, "register-student", str(course), **fields, override_reason="Instructor ok'd"
    )
    assert done.status_code == 200 and "Registered: registration #" in done.text
    r = registrations.c
    with db.read() as s:
        reasons = list(s.scalars(select(r.override_reason).where(r.course_id == course)))
    assert sorted(reasons) == ["", "Instructor ok'd"]


def test_staff_register_a_student_without_a_reason_when_no_rule_is_bent(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Open House", capacity=5)
    add_student(db, "Plain", "Booker", email="plain@example.org")
    form = staff_client.get(f"/admin/actions/register-student/?pks={course}")
    assert "Reason for overriding a rule" in form.text
    assert "Only needed when the course is full" in form.text
    assert 'name="override_reason" rows="3" required' not in form.text
    done = _act(
        staff_client,
        "register-student",
        str(course),
        student="plain@example.org",
        pricing_type="full_package",
        override_reason="",
    )
    assert done.status_code == 200 and "Registered: registration #" in done.text
    r = registrations.c
    with db.read() as s:
        reasons = list(s.scalars(select(r.override_reason).where(r.course_id == course)))
    assert reasons == [""]


def test_registering_an_unknown_student_says_so(db: Database, staff_client: AdminClient) -> None:
    course = add_course(db, "Any")
    refused = _act(
        staff_client,
        "register-student",
        str(course),
        student="nobody@example.org",
        pricing_type="full_package",
        override_reason="walk-in",
    )
    assert refused.status_code == 400 and "No student with id or email" in refused.text


def test_offer_next_seat_offers_the_first_in_line_when_a_seat_is_free(
    db: Database, staff_client: AdminClient
) -> None:
    course, _entries = _full_course_with_line(db)
    no_seat = _act(staff_client, "offer-next-seat", str(course), confirmed="yes")
    assert no_seat.status_code == 400 and 'role="alert"' in no_seat.text
    with db.write() as s:
        s.execute(courses.update().where(courses.c.id == course).values(capacity=2))
        s.commit()
    offered = _act(staff_client, "offer-next-seat", str(course), confirmed="yes")
    assert offered.status_code == 200 and "offered the seat" in offered.text
    statuses = [status for _, _, status in _line(db, course)]
    assert statuses == ["offered", "waiting", "waiting"]


def test_move_and_remove_waitlist_entries_keep_the_line_contiguous(
    db: Database, staff_client: AdminClient
) -> None:
    course, (a, b, c) = _full_course_with_line(db)
    no_reason = _act(staff_client, "move-waitlist-entry", str(c), new_position="1", reason="")
    assert no_reason.status_code == 400
    moved = _act(staff_client, "move-waitlist-entry", str(c), new_position="1", reason="Injury")
    assert moved.status_code == 200 and "position 1" in moved.text
    assert _line(db, course) == [(a, 2, "waiting"), (b, 3, "waiting"), (c, 1, "waiting")]
    removed = _act(
        staff_client, "remove-waitlist-entry", str(c), reason="Asked to leave", confirmed="yes"
    )
    assert removed.status_code == 200
    assert _line(db, course) == [(a, 1, "waiting"), (b, 2, "waiting"), (c, None, "removed")]
    bad = _act(staff_client, "move-waitlist-entry", str(a), new_position="zero", reason="x")
    assert bad.status_code == 400 and "whole number" in bad.text


def test_classify_students_sets_the_type_of_every_chosen_student(
    db: Database, staff_client: AdminClient
) -> None:
    one, two, other = (add_student(db, name, "K") for name in ("Uno", "Dos", "Tres"))
    form = staff_client.get(f"/admin/actions/classify-students/?pks={one},{two}")
    assert form.status_code == 200 and "Uno K" in form.text and "Dos K" in form.text
    wrong = _act(staff_client, "classify-students", f"{one},{two}", student_type="wizard")
    assert wrong.status_code == 400 and "Choose one of the options" in wrong.text
    done = _act(staff_client, "classify-students", f"{one},{two}", student_type="crew_member")
    assert done.status_code == 200 and "2 students classified as Crew member." in done.text
    st = students.c
    with db.read() as s:
        rows = dict(
            (i, (t, c))
            for i, t, c in s.execute(select(st.id, st.student_type, st.admin_classified))
        )
    assert rows == {
        one: ("crew_member", True),
        two: ("crew_member", True),
        other: ("general", False),
    }


def test_course_session_and_student_pages_offer_their_actions(
    db: Database, staff_client: AdminClient
) -> None:
    course = add_course(db, "Workshop")
    page = staff_client.get(f"/admin/course/details/{course}").text
    for label in ("Roll call", "Generate sessions", "Register a student"):
        assert label in page
    # No one is waiting: no seat to offer.
    assert "Offer the next seat" not in page
    rollcall = staff_client.get(
        f"/admin/course/action/rollcall?pks={course}", follow_redirects=False
    )
    assert rollcall.headers["location"].endswith(f"/admin/courses/{course}/rollcall/")
    _act(staff_client, "generate-sessions", str(course))
    (session_id,) = sessions_of(db, course)
    session_rollcall = staff_client.get(
        f"/admin/class-session/action/rollcall?pks={session_id}", follow_redirects=False
    )
    assert session_rollcall.headers["location"].endswith(f"/admin/sessions/{session_id}/rollcall/")
    student = add_student(db, "Uno", "K")
    assert "Classify" in staff_client.get("/admin/student/list").text
    classify = staff_client.get(
        f"/admin/student/action/classify-students?pks={student}", follow_redirects=False
    )
    assert classify.headers["location"].endswith(f"/admin/actions/classify-students/?pks={student}")
