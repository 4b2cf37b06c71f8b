"""The registrations list's search: what staff type finds the registrations they mean.

A student's first name, last name or email by any part of it in any case; a payment
reference by its start, as typed or in capitals or small letters; nothing else.
Runs on SQLite and PostgreSQL (``db``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update

from domain.db import tables as t
from domain.db.database import Database
from domain.model import Course, Registration, Student
from tests.admin.conftest import AdminClient
from tests.admin.views_seed import add_course, add_student, listed, many, register


def _searched(client: AdminClient, term: str, query: str = "") -> list[int]:
    return sorted(listed(client, "registration", f"?search={term}{query}"))


def _with_reference(db: Database, registration: Registration, reference: str) -> Registration:
    with db.write() as session:
        session.execute(
            update(t.registrations)
            .where(t.registrations.c.id == registration.id)
            .values(payment_reference=reference)
        )
        session.commit()
    return registration


def _people(db: Database) -> tuple[Course, Student, Student]:
    course = add_course(db, "Salsa")
    maria = add_student(db, "María José", last_name="Okafor", email="mj.dance@example.org")
    tom = add_student(db, "Tom", last_name="Berg", email="tberg@mail.test")
    return course, maria, tom


def test_search_finds_a_registration_by_part_of_the_first_or_last_name_in_any_case(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, tom = _people(db)
    hers = register(db, maria, course)
    register(db, tom, course)
    assert _searched(staff_client, "jos") == [hers.id]
    assert _searched(staff_client, "OKAF") == [hers.id]
    assert _searched(staff_client, "kafo") == [hers.id]


def test_search_finds_a_registration_by_part_of_the_email(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, tom = _people(db)
    register(db, maria, course)
    his = register(db, tom, course)
    assert _searched(staff_client, "berg@mail") == [his.id]
    assert _searched(staff_client, "MAIL.TEST") == [his.id]


def test_search_finds_every_registration_of_a_matching_student(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, _ = _people(db)
    both = [register(db, maria, course).id, register(db, maria, add_course(db, "Tango")).id]
    assert _searched(staff_client, "okafor") == sorted(both)


def test_search_finds_a_payment_reference_by_its_start_in_capitals_or_small_letters(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, tom = _people(db)
    paid = _with_reference(db, register(db, maria, course), "VEN-7731-AB")
    zelle = _with_reference(db, register(db, tom, course), "zel-2208")
    assert _searched(staff_client, "VEN-7731-AB") == [paid.id]  # pasted whole
    assert _searched(staff_client, "ven-77") == [paid.id]  # typed the start
    assert _searched(staff_client, "ZEL-22") == [zelle.id]
    # A reference is a code: its middle is not what staff search by.
    assert _searched(staff_client, "7731") == []


def test_a_term_nobody_matches_finds_nothing(staff_client: AdminClient, db: Database) -> None:
    course, maria, tom = _people(db)
    _with_reference(db, register(db, maria, course), "VEN-7731-AB")
    register(db, tom, course)
    assert _searched(staff_client, "zzyzx") == []
    assert "zzyzx" in staff_client.get("/admin/registration/list?search=zzyzx").text


def test_like_wildcards_in_the_term_are_taken_literally(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, tom = _people(db)
    underscored = _with_reference(db, register(db, maria, course), "A_1")
    _with_reference(db, register(db, tom, course), "AB1")
    assert _searched(staff_client, "%25") == []  # "%": matches no name, email or reference
    assert _searched(staff_client, "a_") == [underscored.id]  # "_" is not "any character"


def test_search_and_a_filter_together_show_only_rows_matching_both(
    staff_client: AdminClient, db: Database
) -> None:
    course, maria, tom = _people(db)
    tango = add_course(db, "Tango")
    in_tango = register(db, maria, tango)
    register(db, maria, course)
    register(db, tom, tango)
    assert _searched(staff_client, "okafor", f"&course_id={tango.id}") == [in_tango.id]


def test_a_searched_page_costs_the_same_statements_at_10_and_1000_registrations(
    superuser_client: AdminClient, db: Database
) -> None:
    def statements(url: str) -> int:
        seen: list[str] = []

        def record(*args: Any) -> None:
            seen.append(str(args[2]))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert superuser_client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(seen)

    course = many(db, 10)
    url = "/admin/registration/list?search=e"
    small = statements(url)
    many(db, 990, course)
    assert len(listed(superuser_client, "registration", "?search=e")) == 25
    assert statements(url) == small == statements("/admin/registration/list")
