"""Page cost does not grow with the table: same SQL statement count at 10 and 1,000 rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event, func, insert, select

from domain.db import tables as t
from domain.db.database import Database
from domain.model import (
    AuditEntry,
    ClassSession,
    ContactLog,
    Course,
    CourseSlot,
    OutgoingEmail,
    Price,
    Registration,
    School,
    StaffUser,
    Student,
)
from tests.admin import a3_factories as a3
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import START, add_course, add_student, many, register

LIST_PAGES = [
    "school",
    "contact-log",
    "student",
    "course",
    "course-slot",
    "price",
    "class-session",
    "registration",
    "attendance",
    "waitlist-entry",
    "outgoing-email",
    "audit-entry",
]


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def page_costs(client: AdminClient, db: Database, urls: list[str]) -> dict[str, int]:
    costs = {}
    for url in urls:
        with counting(db) as statements:
            response = client.get(url)
        assert response.status_code == 200, (url, response.text[-1000:])
        costs[url] = len(statements)
    return costs


def many_system_rows(db: Database, count: int, offset: int) -> None:
    """``count`` more staff users, outgoing emails and audit entries."""
    numbers = range(offset, offset + count)
    stamps = {"created_at": START, "updated_at": START}
    with db.engine.begin() as connection:
        connection.execute(
            insert(t.staff_users), [{"username": f"user{n:05d}", **stamps} for n in numbers]
        )
        connection.execute(
            insert(t.outgoing_emails),
            [
                {
                    "kind": "waitlist_offer",
                    "to_address": f"s{n}@example.org",
                    "subject": "A seat",
                    "body_text": "Hello",
                    "next_attempt_at": START,
                    "created_at": START,
                }
                for n in numbers
            ],
        )
        connection.execute(
            insert(t.audit_entries),
            [
                {
                    "occurred_at": START,
                    "actor_kind": "system",
                    "action": "update",
                    "entity_type": "course",
                    "entity_id": str(n),
                    "changes": {"capacity": [n, n + 1]},
                }
                for n in numbers
            ],
        )


def detail_urls(db: Database, big_course: Course) -> list[str]:
    """Detail pages of the first row of each main entity, the big course among them."""
    with db.read() as session:
        school = session.scalar(select(func.min(School.id)))
        student = session.scalar(select(func.min(Student.id)))
        registration = session.scalar(select(func.min(Registration.id)))
        class_session = session.scalar(select(func.min(ClassSession.id)))
        contact = session.scalar(select(func.min(ContactLog.id)))
        slot = session.scalar(select(func.min(CourseSlot.id)))
        price = session.scalar(select(func.min(Price.id)))
        email = session.scalar(select(func.min(OutgoingEmail.id)))
        audit = session.scalar(select(func.min(AuditEntry.id)))
        staff = session.scalar(select(func.min(StaffUser.id)))
    assert school and student and registration and class_session
    assert contact and slot and price and email and audit
    return [
        f"/admin/contact-log/details/{contact}",
        f"/admin/course-slot/details/{slot}",
        f"/admin/price/details/{price}",
        f"/admin/outgoing-email/details/{email}",
        f"/admin/audit-entry/details/{audit}",
        f"/admin/sessions/{class_session}/rollcall/",
        f"/admin/sessions/{class_session}/rollcall/sheet",
        "/admin/",
        "/admin/staff-user/list",
        f"/admin/staff-user/details/{staff}",
        "/admin/setting/list",
        f"/admin/school/details/{school}",
        f"/admin/student/details/{student}",
        f"/admin/registration/details/{registration}",
        f"/admin/course/details/{big_course.id}",
        f"/admin/class-session/details/{class_session}",
        f"/admin/attendance/details/{registration}",
        f"/admin/waitlist-entry/details/{registration}",
    ]


def test_list_and_detail_pages_cost_the_same_at_10_and_1000_rows(
    superuser_client: AdminClient, db: Database
) -> None:
    course = many(db, 10)
    many_system_rows(db, 10, 0)
    urls = [f"/admin/{identity}/list" for identity in LIST_PAGES] + detail_urls(db, course)
    small = page_costs(superuser_client, db, urls)
    many(db, 990, course)
    many_system_rows(db, 990, 10)
    large = page_costs(superuser_client, db, urls)
    assert large == small
    # A sanity check that the counter sees the page's own queries.
    assert all(count >= 2 for count in small.values())


def test_exports_read_rows_in_batches_not_one_query_per_row(
    staff_client: AdminClient, db: Database
) -> None:
    many(db, 1000)
    for identity in ("registration", "attendance", "waitlist-entry", "contact-log", "student"):
        with counting(db) as statements:
            response = staff_client.get(f"/admin/{identity}/export/xlsx")
        assert response.status_code == 200
        # 1,000 rows each naming a student, school or course: a handful of batched reads.
        assert len(statements) < 30, (identity, len(statements))


def test_a_course_with_60_registrations_shows_25_and_a_link_to_all(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db, "Popular")
    for n in range(60):
        student = add_student(db, f"Student{n:02d}", email=f"p{n}@example.org")
        register(db, student, course, created_at=START + timedelta(minutes=n))
    page = staff_client.get(f"/admin/course/details/{course.id}").text
    section = page.split('id="related-registration-')[1].split("</section>")[0]
    assert section.count("/admin/registration/details/") == 25
    assert "showing 25 of 60" in " ".join(section.split())
    assert f'href="/admin/registration/list?course_id={course.id}"' in section
    assert "related-see-all" in section
    # Newest first: the last sign-up is on the page, the first is behind the link.
    assert "Student59" in section and "Student00" not in section


def test_the_session_chooser_costs_the_same_at_3_and_30_sessions(
    staff_client: AdminClient, db: Database
) -> None:
    course = a3.add_course(db, "Weekly")

    def grow(sessions: int, students: int, offset: int) -> None:
        ids = [
            a3.add_session(db, course, date(2027, 1, 4) + timedelta(days=7 * (offset + n)))
            for n in range(sessions)
        ]
        for n in range(students):
            student = a3.add_student(db, f"Pupil{offset + n}", email=f"w{offset + n}@example.org")
            registration = a3.add_registration(db, student_id=student, course_id=course)
            with db.engine.begin() as connection:
                connection.execute(
                    insert(t.attendance),
                    [
                        {
                            "session_id": sid,
                            "registration_id": registration,
                            "status": "present",
                            "marked_at": START,
                        }
                        for sid in ids
                    ],
                )

    url = f"/admin/courses/{course}/rollcall/"
    grow(3, 3, 0)
    small = page_costs(staff_client, db, [url])
    grow(27, 30, 3)
    large = page_costs(staff_client, db, [url])
    assert large == small
    assert "30 of 33 marked" in staff_client.get(url).text


def test_the_sessions_list_costs_the_same_at_3_and_75_marked_sessions(
    staff_client: AdminClient, db: Database
) -> None:
    """The Marked column is one grouped query for the page, not one per session."""

    def grow(courses: int, offset: int) -> None:
        for c in range(courses):
            course = a3.add_course(db, f"Course {offset + c}")
            ids = [
                a3.add_session(db, course, date(2027, 1, 4) + timedelta(days=7 * n))
                for n in range(3)
            ]
            student = a3.add_student(db, f"Pupil{offset + c}", email=f"m{offset + c}@example.org")
            registration = a3.add_registration(db, student_id=student, course_id=course)
            with db.engine.begin() as connection:
                connection.execute(
                    insert(t.attendance),
                    [
                        {
                            "session_id": sid,
                            "registration_id": registration,
                            "status": "present",
                            "marked_at": START,
                        }
                        for sid in ids
                    ],
                )

    url = "/admin/class-session/list"
    grow(1, 0)
    small = page_costs(staff_client, db, [url])
    grow(24, 1)
    large = page_costs(staff_client, db, [url])
    assert large == small
    page = staff_client.get(f"{url}?pageSize=100").text
    assert page.count(' of 1 marked">1 of 1</a>') == 75
