"""Page cost does not grow with the table: same SQL statement count at 10 and 1,000 rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select

from domain.db.database import Database
from domain.model import ClassSession, Course, Registration, School, Student
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import many

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


def detail_urls(db: Database, big_course: Course) -> list[str]:
    """Detail pages of the first row of each main entity, the big course among them."""
    with db.read() as session:
        school = session.scalar(select(func.min(School.id)))
        student = session.scalar(select(func.min(Student.id)))
        registration = session.scalar(select(func.min(Registration.id)))
        class_session = session.scalar(select(func.min(ClassSession.id)))
    assert school and student and registration and class_session
    return [
        f"/admin/school/details/{school}",
        f"/admin/student/details/{student}",
        f"/admin/registration/details/{registration}",
        f"/admin/course/details/{big_course.id}",
        f"/admin/class-session/details/{class_session}",
        f"/admin/attendance/details/{registration}",
        f"/admin/waitlist-entry/details/{registration}",
    ]


def test_list_and_detail_pages_cost_the_same_at_10_and_1000_rows(
    staff_client: AdminClient, db: Database
) -> None:
    course = many(db, 10)
    urls = [f"/admin/{identity}/list" for identity in LIST_PAGES] + detail_urls(db, course)
    small = page_costs(staff_client, db, urls)
    many(db, 990, course)
    large = page_costs(staff_client, db, urls)
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
