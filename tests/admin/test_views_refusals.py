"""A value the rules refuse is said in a sentence by its field; the database's words never show.

Every CHECK and UNIQUE constraint a create or edit form can reach (courses,
slots, prices, sessions, schools, students, staff users, settings) is submitted
once. The domain refuses it before anything is written, the form comes back
(400) with the sentence under the field, and the table is as it was.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Table, select

from domain.db import tables as t
from domain.db.database import Database
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import refusal_records

#: Words of PostgreSQL, SQLite and their drivers that must never reach a page.
DRIVER_WORDS = (
    "psycopg",
    "sqlite3",
    "violates",
    "constraint",
    "IntegrityError",
    "DataError",
    "DETAIL:",  # PostgreSQL's "DETAIL:  Key (…)"; a link to a details page is fine
    "out of range for type",
    "[SQL:",
)

COURSE = {
    "title": "Bachata Night",
    "kind": "workshop",
    "description": "",
    "instructor": "Ana",
    "location": "Studio A",
    "starts_at": "2026-07-01 19:00:00",
    "ends_at": "2026-07-01 21:00:00",
    "capacity": "20",
    "required_student_type": "",
    "is_published": "y",
    "comment": "",
}
SLOT = {
    "course": "{course}",
    "name": "Evening",
    "difficulty_level": "beginner",
    "day_of_week": "2",
    "practice_date": "",
    "start_time": "18:00",
    "end_time": "19:30",
    "location": "",
    "capacity": "",
}
PRICE = {"slot": "{slot}", "pricing_type": "drop_in", "amount": "25.00"}
SESSION = {
    "course": "{course}",
    "slot": "{slot}",
    "session_date": "2026-07-08",
    "start_time": "18:00",
    "end_time": "19:00",
    "location": "",
    "notes": "",
}
SCHOOL = {
    "name": "Hill Academy",
    "location": "Springfield",
    "contact_name": "Pat",
    "contact_email": "pat@hill.example",
    "contact_phone": "",
    "comments": "",
}
STUDENT = {
    "first_name": "Bea",
    "last_name": "Smith",
    "email": "bea@example.com",
    "phone": "",
    "title": "",
    "school": "",
    "student_type": "general",
    "experience": "",
    "emergency_contact": "",
    "notes": "",
}
STAFF = {
    "username": "newcomer",
    "full_name": "New Comer",
    "email": "new@example.org",
    "password": "a long enough password",
}
STAFF_EDIT = {"full_name": "Carol", "email": "carol@example.org", "is_active": "y"}


@dataclass(frozen=True)
class Refusal:
    url: str
    form: dict[str, str]
    changes: dict[str, str]
    field: str
    sentence: str
    #: The table that must not change.
    table: Table = field(repr=False)


CASES = {
    "course negative capacity": Refusal(
        "/admin/course/create",
        COURSE,
        {"capacity": "-1"},
        "capacity",
        "The capacity must be between 0 and 100000.",
        t.courses,
    ),
    "course capacity beyond an integer": Refusal(
        "/admin/course/create",
        COURSE,
        {"capacity": "99999999999"},
        "capacity",
        "The capacity must be between 0 and 100000.",
        t.courses,
    ),
    "course ends before it starts": Refusal(
        "/admin/course/create",
        COURSE,
        {"ends_at": "2026-07-01 18:00:00"},
        "ends_at",
        "The course cannot end before it starts",
        t.courses,
    ),
    "course blank title": Refusal(
        "/admin/course/create",
        COURSE,
        {"title": "   "},
        "title",
        "Please enter a title.",
        t.courses,
    ),
    "course edited to end before it starts": Refusal(
        "/admin/course/edit/{course}",
        COURSE,
        {"ends_at": "2026-07-01 18:00:00", "capacity": "25"},
        "ends_at",
        "The course cannot end before it starts",
        t.courses,
    ),
    "course edited to a negative capacity": Refusal(
        "/admin/course/edit/{course}",
        COURSE,
        {"capacity": "-5"},
        "capacity",
        "The capacity must be between 0 and 100000.",
        t.courses,
    ),
    "slot day out of the week": Refusal(
        "/admin/course-slot/create",
        SLOT,
        {"day_of_week": "7"},
        "day_of_week",
        "The day must be 0 (Monday) to 6 (Sunday).",
        t.course_slots,
    ),
    "slot neither weekly nor dated": Refusal(
        "/admin/course-slot/create",
        SLOT,
        {"day_of_week": ""},
        "day_of_week",
        "Give a day of the week",
        t.course_slots,
    ),
    "slot ends before it starts": Refusal(
        "/admin/course-slot/create",
        SLOT,
        {"end_time": "17:00"},
        "end_time",
        "The slot must end after it starts.",
        t.course_slots,
    ),
    "slot negative capacity": Refusal(
        "/admin/course-slot/create",
        SLOT,
        {"capacity": "-2"},
        "capacity",
        "The capacity must be between 0 and 100000.",
        t.course_slots,
    ),
    "slot edited to end before it starts": Refusal(
        "/admin/course-slot/edit/{slot}",
        SLOT,
        {"start_time": "20:00", "end_time": "19:00"},
        "end_time",
        "The slot must end after it starts.",
        t.course_slots,
    ),
    "price negative": Refusal(
        "/admin/price/create",
        PRICE,
        {"amount": "-5"},
        "amount",
        "The amount cannot be negative.",
        t.prices,
    ),
    "price beyond the column": Refusal(
        "/admin/price/create",
        PRICE,
        {"amount": "123456789012"},
        "amount",
        "The amount must be at most 99,999,999.99.",
        t.prices,
    ),
    "price of a kind the slot has": Refusal(
        "/admin/price/create",
        PRICE,
        {"pricing_type": "full_package"},
        "pricing_type",
        "This slot already has a full-package price; change that one instead.",
        t.prices,
    ),
    "price edited to a kind the slot has": Refusal(
        "/admin/price/edit/{drop_in_price}",
        PRICE,
        {"pricing_type": "full_package"},
        "pricing_type",
        "This slot already has a full-package price",
        t.prices,
    ),
    "session at a taken date and time": Refusal(
        "/admin/class-session/create",
        SESSION,
        {"session_date": "2026-03-02"},
        "session_date",
        "This course already has a session on that date at that time.",
        t.class_sessions,
    ),
    "school blank name": Refusal(
        "/admin/school/create",
        SCHOOL,
        {"name": "  "},
        "name",
        "Please enter the school's name.",
        t.schools,
    ),
    "school edited to a blank name": Refusal(
        "/admin/school/edit/{school}",
        SCHOOL,
        {"name": " "},
        "name",
        "Please enter the school's name.",
        t.schools,
    ),
    "student with a taken email": Refusal(
        "/admin/student/create",
        STUDENT,
        {"email": "ADA@example.com"},
        "email",
        "Another student already has the email ada@example.com.",
        t.students,
    ),
    "student edited to a taken email": Refusal(
        "/admin/student/edit/{other_student}",
        STUDENT,
        {"email": "ada@example.com"},
        "email",
        "Another student already has the email ada@example.com.",
        t.students,
    ),
    "student blank first name": Refusal(
        "/admin/student/create",
        STUDENT,
        {"first_name": "  "},
        "first_name",
        "Please enter the student's first name.",
        t.students,
    ),
    "school contact name with a right-to-left override": Refusal(
        "/admin/school/create",
        SCHOOL,
        {"contact_name": "Pat \u202eliaM"},
        "contact_name",
        "The contact's name contains invisible or text-direction characters",
        t.schools,
    ),
    "student last name with a zero-width space": Refusal(
        "/admin/student/edit/{other_student}",
        STUDENT,
        {"last_name": "Smi\u200bth"},
        "last_name",
        "The last name contains invisible or text-direction characters",
        t.students,
    ),
    "staff user with a taken username": Refusal(
        "/admin/staff-user/create",
        STAFF,
        {"username": "Boss"},
        "username",
        "The username 'boss' is taken.",
        t.staff_users,
    ),
    "staff user with a malformed username": Refusal(
        "/admin/staff-user/create",
        STAFF,
        {"username": "no spaces please"},
        "username",
        "A username is 1 to 150 letters",
        t.staff_users,
    ),
    "staff user edited to a malformed email": Refusal(
        "/admin/staff-user/edit/{staff}",
        STAFF_EDIT,
        {"email": "carol at example"},
        "email",
        "is not an email address",
        t.staff_users,
    ),
    "setting out of its range": Refusal(
        "/admin/setting/edit/offer_hours",
        {},
        {"value": "-3"},
        "value",
        "Waitlist offer (hours) must be between 1 and 1440",
        t.settings,
    ),
}


@pytest.fixture
def seed(db: Database, superuser_client: AdminClient) -> dict[str, int]:
    return refusal_records(db, superuser_client)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_refused_value_is_said_by_its_field_and_nothing_is_written(
    case: Refusal, seed: dict[str, int], superuser_client: AdminClient, db: Database
) -> None:
    before = _rows(db, case.table)
    form = {name: value.format(**seed) for name, value in {**case.form, **case.changes}.items()}

    response = superuser_client.submit(case.url.format(**seed), {**form, "save": "Save"})

    assert response.status_code == 400, response.text[-2000:]
    assert_no_driver_text(response.text)
    assert case.sentence in field_error(response.text, case.field)
    assert _rows(db, case.table) == before


def assert_no_driver_text(page: str) -> None:
    found = [word for word in DRIVER_WORDS if word.lower() in page.lower()]
    assert not found, f"the page shows the database's words {found}"


def field_error(page: str, name: str) -> str:
    """The sentences under the form field ``name`` (empty when it has none)."""
    start = page.find(f'name="{name}"')
    assert start >= 0, f"the form has no field {name!r}"
    end = page.find('class="mb-3 form-group row"', start)
    group = page[start : end if end >= 0 else len(page)]
    return " ".join(
        html.unescape(text) for text in re.findall(r'class="invalid-feedback">(.*?)</div>', group)
    )


def _rows(db: Database, table: Table) -> list[tuple[object, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key))]
