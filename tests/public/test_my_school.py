"""My school: a school's contact signs in by an emailed link and looks after its participants."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from starlette.testclient import TestClient

from domain.actors import Actor
from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentStatus
from domain.model import (
    AuditEntry,
    ClassSession,
    Course,
    LinkToken,
    OutgoingEmail,
    Registration,
)
from domain.services.attendance import mark_attendance
from domain.services.payments import confirm_payment
from domain.services.registration import StudentDetails
from domain.services.reports import dashboard
from domain.services.seats import seats_open_to_book
from domain.services.sessions import generate_sessions
from domain.services.waitlist import join_waitlist
from tests.public.factories import STAFF, count, emails, post
from tests.public.my_school_setup import (
    CONTACT,
    make_contact_school,
    registration,
    school_course,
    school_registrations,
    sign_in,
    sign_up,
    start_course,
)
from tests.public.test_booking_cost import statements


def _written(db: Database) -> tuple[int, int, int]:
    return count(db, LinkToken), count(db, AuditEntry), count(db, OutgoingEmail)


# --- What the contact sees -----------------------------------------------------------


def test_participants_show_sessions_attended_of_held_and_payment(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    other_school = make_contact_school(db, "Roosevelt Elementary", email="rose@example.org")
    course_id = school_course(db)
    ada, bob = sign_up(db, school_id, course_id, "Ada Teacher", "Bob Coach")
    sign_up(db, other_school, course_id, "Rita Other")
    confirm_payment(db, registration_id=ada, method="cash", reference="R1", actor=STAFF)
    generate_sessions(db, course_id=course_id, actor=STAFF)
    start_course(db, course_id, days_ago=15)
    with db.write() as session:
        # Three of the four weekly classes have been held: move them into the past.
        sessions = list(
            session.scalars(
                select(ClassSession)
                .where(t.class_sessions.c.course_id == course_id)
                .order_by(t.class_sessions.c.session_date)
            )
        )
        for weeks_ago, cls in zip((2, 1, 0), sessions[:3], strict=True):
            cls.session_date = (utcnow() - timedelta(weeks=weeks_ago, days=1)).date()
        sessions[3].session_date = (utcnow() + timedelta(days=6)).date()
        session.commit()
        held = [s.id or 0 for s in sessions[:3]]
    mark_attendance(db, session_id=held[0], marks={ada: "present", bob: "absent"}, actor=STAFF)
    mark_attendance(db, session_id=held[1], marks={ada: AttendanceStatus.LATE}, actor=STAFF)
    sign_in(client, db)
    text = " ".join(client.get("/my-school/").text.split())
    lines = {_line_name(line): line for line in text.split("<li>")[1:]}
    assert "Attended 2 of 3 sessions held" in lines["Ada Teacher"]
    assert "Paid" in lines["Ada Teacher"]
    assert "Attended 0 of 3 sessions held" in lines["Bob Coach"]
    assert "Pending" in lines["Bob Coach"]
    assert "Rita Other" not in text  # another school's participant
    assert "has started" in text and "Replace" not in text and "Add a teacher" not in text


# --- Adding a teacher ----------------------------------------------------------------


def test_adding_a_teacher_registers_them_and_emails_the_contact_and_teacher(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db)
    sign_up(db, school_id, course_id, "Ada Teacher")
    sign_in(client, db)
    page = f"/my-school/courses/{course_id}/add"
    form = client.get(page).text
    assert "Add a teacher to Teacher training" in form
    assert "Price per teacher: <strong>$120.00</strong>" in form
    response = post(
        client,
        page,
        {"name": "Cleo New", "title": "Art teacher", "email": "Cleo@Example.org"},
        page=page,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/my-school/?done=added"
    home = client.get(response.headers["location"]).text
    assert "The teacher is signed up" in home and "Cleo New" in home
    assert [n for n, _c, _p in school_registrations(db, school_id)] == ["Ada Teacher", "Cleo New"]
    new = registration(db, max(r for r in _ids(db, school_id)))
    assert (new.amount_due, new.payment_status) == (Decimal(120), PaymentStatus.PENDING)
    sent = [(e.kind, e.to_address) for e in emails(db)][-2:]
    assert sent == [
        ("school_participant_added", CONTACT),
        ("school_teacher_confirmation", "cleo@example.org"),
    ]
    assert _audit_actions(db, "registration.create") == 2


def test_adding_a_teacher_to_a_full_course_is_refused_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db, capacity=1)
    sign_up(db, school_id, course_id, "Ada Teacher")
    sign_in(client, db)
    before = count(db, Registration), len(emails(db))
    page = f"/my-school/courses/{course_id}/add"
    response = post(client, page, {"name": "Cleo New"}, page=page)
    assert response.status_code == 400
    assert "Teacher training is full" in response.text
    assert (count(db, Registration), len(emails(db))) == before


def test_adding_a_teacher_after_the_course_started_is_refused(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db)
    sign_up(db, school_id, course_id, "Ada Teacher")
    sign_in(client, db)
    page = f"/my-school/courses/{course_id}/add"
    csrf_page = client.get(page)
    assert csrf_page.status_code == 200
    start_course(db, course_id)
    response = post(client, page, {"name": "Cleo New"}, page="/my-school/")
    assert response.status_code == 400
    assert "Teacher training has already started" in response.text
    assert count(db, Registration) == 1


def test_adding_to_a_course_the_school_is_not_on_is_not_found(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    sign_up(db, school_id, school_course(db), "Ada Teacher")
    elsewhere = school_course(db, title="Other course")
    sign_in(client, db)
    response = post(
        client, f"/my-school/courses/{elsewhere}/add", {"name": "X Y"}, page="/my-school/"
    )
    assert response.status_code == 404
    assert count(db, Registration) == 1


# --- Replacing a participant ---------------------------------------------------------


def test_replacing_passes_the_seat_and_its_payment_in_one_step(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db, capacity=2)
    ada, _bob = sign_up(db, school_id, course_id, "Ada Teacher", "Bob Coach")
    confirm_payment(db, registration_id=ada, method="check", reference="CHK-7", actor=STAFF)
    # The course is full and someone waits: the freed seat must not go to them.
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email="wait@example.com", first_name="Wanda"),
        actor=Actor.public("198.51.100.2"),
    )
    revenue_before = _revenue(db)
    sign_in(client, db)
    page = f"/my-school/participants/{ada}/replace"
    assert "Replace Ada Teacher" in client.get(page).text
    response = post(
        client,
        page,
        {"name": "Cleo New", "title": "Art teacher", "reason": "Ada is on leave"},
        page=page,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/my-school/?done=replaced"
    assert school_registrations(db, school_id) == [
        ("Ada Teacher", True, PaymentStatus.COMPLETED),
        ("Bob Coach", False, PaymentStatus.PENDING),
        ("Cleo New", False, PaymentStatus.COMPLETED),
    ]
    new = registration(db, max(_ids(db, school_id)))
    assert (new.amount_due, new.payment_reference, new.payment_method) == (
        Decimal(120),
        "CHK-7",
        "check",
    )
    assert registration(db, ada).amount_due == 0  # the money is counted once, on the new place
    assert _revenue(db) == revenue_before == Decimal("120.00")
    with db.read() as session:
        waitlist = session.execute(select(t.waitlist_entries.c.status)).scalars().all()
        reason, changes = session.execute(
            select(t.audit_entries.c.reason, t.audit_entries.c.changes).where(
                t.audit_entries.c.action == "registration.replace"
            )
        ).one()
    assert waitlist == ["waiting"]  # no offer was made
    assert reason == "Ada is on leave"
    assert changes["student"] == ["Ada Teacher", "Cleo New"]
    assert [(e.kind, e.to_address) for e in emails(db)][-1] == (
        "school_participant_replaced",
        CONTACT,
    )
    home = client.get("/my-school/").text
    assert "Cleo New" in home and "Ada Teacher" not in home


def test_replacing_after_the_course_started_is_refused_with_a_clear_message(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db)
    (ada,) = sign_up(db, school_id, course_id, "Ada Teacher")
    sign_in(client, db)
    page = f"/my-school/participants/{ada}/replace"
    client.get(page)
    start_course(db, course_id)
    assert "has already started" in client.get(page).text
    response = post(client, page, {"name": "Cleo New", "reason": "Leave"}, page="/my-school/")
    assert response.status_code == 400
    assert "Teacher training has already started" in response.text
    assert school_registrations(db, school_id) == [("Ada Teacher", False, PaymentStatus.PENDING)]


def test_replacing_needs_a_reason(client: TestClient, db: Database) -> None:
    school_id = make_contact_school(db)
    (ada,) = sign_up(db, school_id, school_course(db), "Ada Teacher")
    sign_in(client, db)
    page = f"/my-school/participants/{ada}/replace"
    response = post(client, page, {"name": "Cleo New", "reason": " "}, page=page)
    assert response.status_code == 400
    assert "Please say why" in response.text
    assert count(db, Registration) == 1


def test_a_contact_cannot_replace_another_schools_participant(
    client: TestClient, db: Database
) -> None:
    school_a = make_contact_school(db, "Lincoln High")
    school_b = make_contact_school(db, "Roosevelt Elementary", email="rose@example.org")
    course_id = school_course(db)
    sign_up(db, school_a, course_id, "Ada Teacher")
    (rita,) = sign_up(db, school_b, course_id, "Rita Other")
    sign_in(client, db, "Lincoln High")
    before = _written(db), school_registrations(db, school_b)
    page = f"/my-school/participants/{rita}/replace"
    shown = client.get(page)
    assert shown.status_code == 404 and "Rita Other" not in shown.text
    response = post(client, page, {"name": "Mallory", "reason": "Takeover"}, page="/my-school/")
    assert response.status_code == 404
    assert "not on your school" in response.text
    assert (_written(db), school_registrations(db, school_b)) == before


def test_an_unpaid_place_passes_over_with_its_amount_and_hold_end(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    (ada,) = sign_up(db, school_id, school_course(db), "Ada Teacher")
    hold_end = registration(db, ada).hold_expires_at
    assert hold_end is not None
    sign_in(client, db)
    page = f"/my-school/participants/{ada}/replace"
    assert post(client, page, {"name": "Cleo New", "reason": "Leave"}, page=page).status_code == 303
    new = registration(db, max(_ids(db, school_id)))
    # A swap never buys time: the new teacher's seat is held exactly as long.
    assert (new.payment_status, new.amount_due) == (PaymentStatus.PENDING, Decimal(120))
    assert new.hold_expires_at == hold_end


def _revenue(db: Database) -> Decimal:
    with db.read() as session:
        return dashboard(session).revenue_confirmed


def _line_name(line: str) -> str:
    return line.split("<strong>", 1)[1].split("</strong>", 1)[0]


def _ids(db: Database, school_id: int) -> list[int]:
    with db.read() as session:
        return list(
            session.scalars(
                select(t.registrations.c.id).where(t.registrations.c.school_id == school_id)
            )
        )


def _audit_actions(db: Database, action: str) -> int:
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(t.audit_entries)
                .where(t.audit_entries.c.action == action)
            )
            or 0
        )


def test_the_participants_page_costs_the_same_for_1_and_12_courses(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    sign_in(client, db)
    counts: list[int] = []
    for size in (1, 4, 12):
        while len(counts) < size:
            course_id = school_course(db, title=f"Course {len(counts):02d}")
            generate_sessions(db, course_id=course_id, actor=STAFF)
            sign_up(db, school_id, course_id, "Ada Teacher", f"Teacher {len(counts)}")
            counts.append(course_id)
        with statements(db) as sent:
            page = client.get("/my-school/")
        assert page.text.count('class="card my-school-course"') == size
        # School, registrations with their teachers and courses, attendance, held
        # classes, settings, and the site name in the layout.
        assert len(sent) == 6, (size, "\n".join(s.split("\n")[0] for s in sent))


def test_replacing_with_someone_already_on_the_course_is_refused_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    ada, _bob = sign_up(db, school_id, school_course(db), "Ada Teacher", "Bob Coach")
    sign_in(client, db)
    before = _written(db), school_registrations(db, school_id)
    page = f"/my-school/participants/{ada}/replace"
    response = post(client, page, {"name": "Bob Coach", "reason": "Swap"}, page=page)
    assert response.status_code == 400
    assert "Bob Coach is already signed up for Teacher training" in response.text
    assert (_written(db), school_registrations(db, school_id)) == before


def test_a_replacement_keeps_the_course_exactly_full(client: TestClient, db: Database) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db, capacity=1)
    (ada,) = sign_up(db, school_id, course_id, "Ada Teacher")
    sign_in(client, db)
    page = f"/my-school/participants/{ada}/replace"
    assert post(client, page, {"name": "Cleo New", "reason": "Leave"}, page=page).status_code == 303
    with db.read() as session:
        course = session.get(Course, course_id)
        assert course is not None
        assert seats_open_to_book(session, course, now=utcnow()) == 0
    # The course is still full for anyone else, the school included.
    add = f"/my-school/courses/{course_id}/add"
    assert "Teacher training is full" in post(client, add, {"name": "Dan"}, page=add).text


def test_a_crew_only_course_refuses_a_teacher_who_is_not_crew(
    client: TestClient, db: Database
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db)
    sign_up(db, school_id, course_id, "Ada Teacher")
    with db.write() as session:
        course = session.get(Course, course_id)
        assert course is not None
        course.required_student_type = "crew_member"
        session.commit()
    sign_in(client, db)
    page = f"/my-school/courses/{course_id}/add"
    response = post(client, page, {"name": "Cleo New"}, page=page)
    assert response.status_code == 400
    assert "This course is only for" in response.text
    assert count(db, Registration) == 1
