"""Hostile submissions to every public form: never a server error, never a partial write.

Each test posts hypothesis-made submissions (see ``hostile.py``) and checks the
answer: below 500 always; a refused one leaves every table as it was; an
accepted one adds only the rows that form is for, at the price and status the
studio set, never one the visitor sent.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select
from starlette.testclient import TestClient

from domain.clock import utcnow
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import LinkPurpose, PaymentStatus
from domain.link_tokens import issue_link
from domain.model import Student
from public_site.forms import MAX_PARTICIPANTS
from tests.abuse.hostile import (
    ABUSE,
    Submission,
    assert_no_server_error,
    assert_rejected_cleanly,
    growth,
    hostile_token,
    row_counts,
    send,
    submissions,
)
from tests.public.factories import csrf_token, make_course, make_school, student_form

#: What an accepted booking may add besides the registration itself.
SIDE_EFFECTS = {"outgoing_emails", "audit_entries", "link_tokens"}

STUDENT = {
    "email": "maya@example.com",
    "first_name": "Maya",
    "last_name": "Lopez",
    "phone": "555-0199",
    "emergency_contact": "Leo 555-0198",
    "experience": "Two years",
}


BOOKING = {
    **STUDENT,
    "pricing_type": "full_package",
    "drop_in_session": "1",
    "special_requests": "Near the door",
}


def _check_accepted(changed: dict[str, int], allowed: dict[str, int]) -> None:
    """Only ``allowed`` tables grew, each by at most its bound; side effects may grow too."""
    for table, delta in changed.items():
        if table in SIDE_EFFECTS:
            assert delta > 0, f"{table} lost rows"
            continue
        assert table in allowed, f"an accepted submission changed {table} by {delta}"
        assert 0 < delta <= allowed[table], f"{table} grew by {delta}"


def _prices_and_statuses_are_the_studios(db: Database, prices: set[Decimal]) -> None:
    with db.read() as session:
        rows = session.execute(
            select(t.registrations.c.amount_due, t.registrations.c.payment_status)
        ).all()
    for amount, status in rows:
        assert Decimal(amount) in prices, f"a visitor set the price {amount}"
        assert status in (PaymentStatus.PENDING, PaymentStatus.NOT_REQUIRED), status


def _as_sent(form: dict[str, str]) -> Submission:
    """``form`` exactly as a browser sends it: the submission that must be accepted."""
    return Submission(tuple(form.items()), (), multipart=False, csrf="good")


@ABUSE
@example(submission=_as_sent(BOOKING))
@given(submission=submissions(BOOKING))
def test_hostile_registration_submissions_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    course_id = _course(db, drop_in=True)
    token = csrf_token(public_client, f"/courses/{course_id}")
    before = row_counts(db)
    response = send(public_client, f"/courses/{course_id}/register", submission, token)
    assert_no_server_error(response, submission)
    if submission == _as_sent(BOOKING):
        assert response.status_code == 303, "a well-formed booking must go through"
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {"students": 1, "registrations": 1})
        _prices_and_statuses_are_the_studios(db, {Decimal("120.00"), Decimal("20.00")})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@example(submission=_as_sent(STUDENT))
@given(submission=submissions(STUDENT))
def test_hostile_waitlist_submissions_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    course_id = _course(db, capacity=0, title="Full Course")
    token = csrf_token(public_client, f"/courses/{course_id}")
    before = row_counts(db)
    response = send(public_client, f"/courses/{course_id}/waitlist", submission, token)
    assert_no_server_error(response, submission)
    if submission == _as_sent(STUDENT):
        assert response.status_code == 303, "a well-formed waitlist request must go through"
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {"students": 1, "waitlist_entries": 1})
    else:
        assert_rejected_cleanly(response, submission, changed)


def _school_form(course_id: int) -> dict[str, str]:
    return {
        "course": str(course_id),
        "school_choice": "new",
        "school_name": "Hill Academy",
        "school_id": "",
        "location": "Springfield",
        "contact_name": "Pat Lee",
        "contact_email": "office@hill.example",
        "contact_phone": "555-0100",
        "participants-0-name": "Ann Smith",
        "participants-0-title": "Teacher",
        "participants-1-name": "Bo Chen",
        "participants-29-name": "Last Row",
        "participants-30-name": "One Too Many",
        "action": "submit",
    }


@ABUSE
@given(data=st.data())
def test_hostile_school_signups_never_fail_or_write_partly(
    public_client: TestClient, db: Database, data: st.DataObject
) -> None:
    course_id = _course(db, title="Teachers' Course")
    if _first_call(db):
        make_school(db, "Hill Academy")
    submission = data.draw(submissions(_school_form(course_id)))
    token = csrf_token(public_client, "/signup/")
    before = row_counts(db)
    response = send(public_client, "/signup/", submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(
            changed,
            {
                "schools": 1,
                "students": MAX_PARTICIPANTS,
                "registrations": MAX_PARTICIPANTS,
            },
        )
    elif response.status_code == 200:
        # "Add another participant" only shows the form again.
        assert changed == {}
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(submission=submissions({"email": "maya@example.com"}))
def test_hostile_profile_link_requests_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    _student(db)
    token = csrf_token(public_client, "/profile/")
    before = row_counts(db)
    response = send(public_client, "/profile/", submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(submission=submissions({"email": "maya@example.com"}))
def test_hostile_sign_in_link_requests_never_fail_or_write_partly(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    _student(db)
    token = csrf_token(public_client, "/my-bookings/")
    before = row_counts(db)
    response = send(public_client, "/my-bookings/", submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {})
    else:
        assert_rejected_cleanly(response, submission, changed)


@ABUSE
@given(submission=submissions({k: v for k, v in STUDENT.items() if k != "email"}))
def test_hostile_profile_edits_never_fail_or_change_a_refused_profile(
    public_client: TestClient, db: Database, submission: Submission
) -> None:
    student_id = _student(db)
    with db.write() as session:
        link = issue_link(
            session,
            purpose=LinkPurpose.EDIT_PROFILE,
            student_id=student_id,
            ttl=timedelta(hours=1),
            now=utcnow(),
        )
        session.commit()
    token = csrf_token(public_client, f"/profile/{link}")
    before, profile = row_counts(db), _profile(db, student_id)
    response = send(public_client, f"/profile/{link}", submission, token)
    assert_no_server_error(response, submission)
    changed = growth(before, row_counts(db))
    if response.status_code == 303:
        _check_accepted(changed, {})
        with db.read() as session:
            student = session.get(Student, student_id)
            assert student is not None and student.email == "maya@example.com"
    else:
        assert_rejected_cleanly(response, submission, changed)
        assert _profile(db, student_id) == profile, "a refused edit changed the profile"


@ABUSE
@given(
    token=hostile_token(),
    page=st.sampled_from(
        [
            "/registrations/cancel/{}",
            "/offers/{}/claim",
            "/offers/{}/decline",
            "/profile/{}",
            "/my-bookings/sign-in/{}",
        ]
    ),
    submission=submissions({"reason": "changed my mind"}),
)
def test_hostile_link_tokens_never_fail_or_write(
    public_client: TestClient, db: Database, token: str, page: str, submission: Submission
) -> None:
    csrf = csrf_token(public_client, "/profile/")
    path = page.format(_quote(token))
    before = row_counts(db)
    shown = public_client.get(path)
    assert shown.status_code < 500, (token, shown.status_code)
    response = send(public_client, path, submission, csrf)
    assert_no_server_error(response, submission)
    assert_rejected_cleanly(response, submission, growth(before, row_counts(db)))


def _quote(token: str) -> str:
    from urllib.parse import quote_from_bytes

    return quote_from_bytes(token.encode("utf-8", "surrogatepass"), safe="")


def _first_call(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(t.schools.c.id).limit(1)) is None


def _course(
    db: Database, *, title: str = "Salsa", capacity: int = 10_000, drop_in: bool = False
) -> int:
    """The one course called ``title``, made on first use (examples share the database)."""
    with db.read() as session:
        found = session.scalar(select(t.courses.c.id).where(t.courses.c.title == title))
    if found is not None:
        return int(found)
    return make_course(
        db,
        title=title,
        capacity=capacity,
        package_price=Decimal("120.00"),
        drop_in_price=Decimal("20.00") if drop_in else None,
        sessions=drop_in,
        school_signup=True,
    )


def _student(db: Database) -> int:
    with db.write() as session:
        found = session.scalar(
            select(t.students.c.id).where(t.students.c.email == "maya@example.com")
        )
        if found is not None:
            return int(found)
        details = student_form()
        student = Student(
            email=details["email"], first_name=details["first_name"], last_name="Lopez"
        )
        session.add(student)
        session.commit()
        assert student.id is not None
        return student.id


def _profile(db: Database, student_id: int) -> tuple[object, ...]:
    with db.read() as session:
        row = session.execute(select(t.students).where(t.students.c.id == student_id)).one()
    return tuple(row)
