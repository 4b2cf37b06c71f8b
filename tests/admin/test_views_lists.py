"""Entity lists: search, filters, sort and 25-row pages show the right rows."""

from __future__ import annotations

from datetime import timedelta

from admin_site.views import ALL_VIEWS
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.model import School
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import (
    START,
    add_contact,
    add_course,
    add_school,
    add_student,
    add_waitlist,
    listed,
    mark,
    register,
)


def test_every_entity_has_a_list_a_detail_page_and_an_export(
    staff_client: AdminClient, db: Database
) -> None:
    school = add_school(db)
    course = add_course(db)
    student = add_student(db, school_id=school.id, email="ada@example.org")
    registration = register(db, student, course, school=school)
    mark(db, registration)
    add_contact(db, school, "first call")
    add_waitlist(db, add_student(db, "Bo"), course, 1)
    for view in ALL_VIEWS:
        assert staff_client.get(f"/admin/{view.identity}/list").status_code == 200, view.identity
        ids = listed(staff_client, view.identity)
        if ids:
            page = staff_client.get(f"/admin/{view.identity}/details/{ids[0]}")
            assert page.status_code == 200, view.identity
        export = staff_client.get(f"/admin/{view.identity}/export/xlsx")
        assert export.status_code == 200, view.identity
        assert export.content[:2] == b"PK"  # an .xlsx is a zip file


def test_school_search_matches_name_and_contact(staff_client: AdminClient, db: Database) -> None:
    hill = add_school(db, "Hill School", contact_name="Maria Lopez")
    add_school(db, "Lake School", contact_name="Tom Berg")
    assert listed(staff_client, "school", "?search=lopez") == [hill.id]
    assert listed(staff_client, "school", "?search=hill") == [hill.id]


def test_sorting_by_a_column_reverses_the_order(staff_client: AdminClient, db: Database) -> None:
    schools = [add_school(db, name) for name in ("Beta", "Alpha", "Gamma")]
    by_name = sorted(schools, key=lambda school: school.name)
    assert listed(staff_client, "school", "?sortBy=name&sort=asc") == [s.id for s in by_name]
    assert listed(staff_client, "school", "?sortBy=name&sort=desc") == [
        s.id for s in reversed(by_name)
    ]


def test_a_page_shows_25_rows_and_the_next_page_the_rest(
    staff_client: AdminClient, db: Database
) -> None:
    with db.write() as session:
        session.add_all(School(name=f"School {n:02d}") for n in range(30))
        session.commit()
    first = listed(staff_client, "school", "?sortBy=name")
    second = listed(staff_client, "school", "?sortBy=name&page=2")
    assert len(first) == 25
    assert len(second) == 5
    assert not set(first) & set(second)


def test_registrations_filter_by_course_school_and_payment_status(
    staff_client: AdminClient, db: Database
) -> None:
    salsa, tango = add_course(db, "Salsa"), add_course(db, "Tango")
    hill = add_school(db, "Hill")
    ada, bo = add_student(db, "Ada"), add_student(db, "Bo")
    paid = register(db, ada, salsa, school=hill, payment_status=PaymentStatus.COMPLETED)
    pending = register(db, bo, salsa)
    other = register(db, ada, tango)
    assert sorted(listed(staff_client, "registration", f"?course_id={salsa.id}")) == sorted(
        [paid.id, pending.id]
    )
    assert listed(staff_client, "registration", f"?school_id={hill.id}") == [paid.id]
    query = f"?course_id={salsa.id}&payment_status=pending"
    assert listed(staff_client, "registration", query) == [pending.id]
    assert other.id in listed(staff_client, "registration", "?payment_status=pending")


def test_registrations_filter_by_sign_up_date_range(
    staff_client: AdminClient, db: Database
) -> None:
    course = add_course(db)
    early = register(db, add_student(db, "Ada"), course, created_at=START - timedelta(days=30))
    late = register(db, add_student(db, "Bo"), course, created_at=START - timedelta(days=2))
    since = (START - timedelta(days=10)).date().isoformat()
    until = (START - timedelta(days=20)).date().isoformat()
    assert listed(staff_client, "registration", f"?signed_up_since={since}") == [late.id]
    assert listed(staff_client, "registration", f"?signed_up_until={until}") == [early.id]


def test_students_filter_unclassified_and_by_student_type(
    staff_client: AdminClient, db: Database
) -> None:
    new = add_student(db, "New")
    crew = add_student(db, "Crew", student_type="crew_member", admin_classified=True)
    assert listed(staff_client, "student", "?classification=unclassified") == [new.id]
    assert listed(staff_client, "student", "?student_type=crew_member") == [crew.id]


def test_courses_filter_by_start_date_range(staff_client: AdminClient, db: Database) -> None:
    march = add_course(db, "March", starts_at=START)
    may = add_course(db, "May", starts_at=START + timedelta(days=60))
    since = (START + timedelta(days=30)).date().isoformat()
    assert listed(staff_client, "course", f"?starts_since={since}") == [may.id]
    assert listed(staff_client, "course", f"?starts_until={START.date().isoformat()}") == [march.id]


def test_contact_history_filters_by_school(staff_client: AdminClient, db: Database) -> None:
    hill, lake = add_school(db, "Hill"), add_school(db, "Lake")
    add_contact(db, hill, "hill call")
    add_contact(db, lake, "lake call")
    page = staff_client.get(f"/admin/contact-log/list?school_id={hill.id}").text
    assert "hill call" in page
    assert "lake call" not in page
