"""A school signs participants up for a course (the public /signup/ form)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus, RegistrationSource
from domain.errors import CourseFull, NotFound, RegistrationClosed, ValidationError
from domain.model import Registration, School, Student
from domain.services.school_signup import NewSchool, Participant, sign_up_school
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    STARTS,
    active_count,
    add_course,
    emails,
    row_count,
)

LINCOLN = NewSchool(
    name="Lincoln High",
    location="Springfield",
    contact_name="Pat Doe",
    contact_email="Pat.Doe@Lincoln.edu",
    contact_phone="555-0199",
)
TEACHERS = [Participant("Ana Maria Lopez", "Math teacher"), Participant("Ben Ng")]


def _sign_up(db: Database, course: int, **kw: object) -> list[object]:
    values: dict[str, object] = {
        "school_id": None,
        "new_school": LINCOLN,
        "participants": TEACHERS,
        "actor": PUBLIC,
        "now": NOW,
    }
    values.update(kw)
    return sign_up_school(db, course_id=course, **values)  # type: ignore[arg-type]


def test_new_school_and_its_participants_are_registered(db: Database) -> None:
    course = add_course(db, school_signup=True)
    outcomes = _sign_up(db, course)
    assert [o.created for o in outcomes] == [True, True]  # type: ignore[attr-defined]
    assert [o.payment_status for o in outcomes] == [PaymentStatus.NOT_REQUIRED] * 2  # type: ignore[attr-defined]
    with db.read() as s:
        school = s.scalars(select(School)).one()
        assert (school.name, school.contact_email) == ("Lincoln High", "pat.doe@lincoln.edu")
        people = s.scalars(select(Student).order_by(t.students.c.id)).all()
        assert [(p.first_name, p.last_name, p.title) for p in people] == [
            ("Ana", "Maria Lopez", "Math teacher"),
            ("Ben", "Ng", ""),
        ]
        regs = s.scalars(select(Registration)).all()
        assert {r.school_id for r in regs} == {school.id}
        assert {r.source for r in regs} == {RegistrationSource.SCHOOL_SIGNUP}


def test_school_contact_gets_one_confirmation_naming_the_participants(db: Database) -> None:
    _sign_up(db, add_course(db, school_signup=True))
    [email] = emails(db)
    assert email.kind == "school_signup_confirmation"
    assert email.to_address == "pat.doe@lincoln.edu"
    assert "Ana Maria Lopez (Math teacher)" in email.body_text and "Ben Ng" in email.body_text


def test_known_school_and_participants_are_reused(db: Database) -> None:
    first_course, second_course = (
        add_course(db, school_signup=True),
        add_course(db, school_signup=True, title="Bachata"),
    )
    _sign_up(db, first_course)
    with db.read() as s:
        school_id = s.scalars(select(t.schools.c.id)).one()
    outcomes = _sign_up(
        db, second_course, school_id=school_id, new_school=None, participants=[TEACHERS[1]]
    )
    assert outcomes[0].created  # type: ignore[attr-defined]
    assert row_count(db, "schools") == 1 and row_count(db, "students") == 2


def test_new_school_with_a_known_name_is_the_same_school(db: Database) -> None:
    _sign_up(db, add_course(db, school_signup=True))
    _sign_up(
        db,
        add_course(db, school_signup=True, title="Bachata"),
        new_school=NewSchool(
            name="lincoln high", location="x", contact_name="y", contact_email="y@z.org"
        ),
    )
    assert row_count(db, "schools") == 1


def test_signing_up_the_same_participants_again_registers_nobody_twice(db: Database) -> None:
    course = add_course(db, school_signup=True)
    _sign_up(db, course)
    again = _sign_up(db, course)
    assert [o.created for o in again] == [False, False]  # type: ignore[attr-defined]
    assert active_count(db, course) == 2


def test_course_without_room_for_everyone_registers_no_one(db: Database) -> None:
    course = add_course(db, school_signup=True, capacity=1)
    with pytest.raises(CourseFull):
        _sign_up(db, course)
    assert row_count(db, "registrations") == 0 and row_count(db, "schools") == 0


def test_unpublished_course_cannot_be_signed_up_for(db: Database) -> None:
    with pytest.raises(NotFound):
        _sign_up(db, add_course(db, school_signup=True, published=False))


def test_course_in_the_past_cannot_be_signed_up_for(db: Database) -> None:
    with pytest.raises(RegistrationClosed):
        _sign_up(db, add_course(db, school_signup=True), now=STARTS + timedelta(days=1))


def test_school_must_be_chosen_or_registered(db: Database) -> None:
    with pytest.raises(ValidationError, match="Choose your school"):
        _sign_up(db, add_course(db, school_signup=True), new_school=None)


def test_new_school_needs_a_valid_contact_email(db: Database) -> None:
    bad = NewSchool(name="Lincoln", location="x", contact_name="Pat", contact_email="pat@")
    with pytest.raises(ValidationError) as caught:
        _sign_up(db, add_course(db, school_signup=True), new_school=bad)
    assert caught.value.field == "contact_email"
    assert row_count(db, "schools") == 0


def test_participant_name_is_required(db: Database) -> None:
    with pytest.raises(ValidationError, match="participant's name") as caught:
        _sign_up(db, add_course(db, school_signup=True), participants=[Participant("  ", "Coach")])
    assert caught.value.field == "participants-0-name"


def test_unknown_school_id_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="school does not exist"):
        _sign_up(db, add_course(db, school_signup=True), school_id=999, new_school=None)
