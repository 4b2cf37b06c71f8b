"""A student's personal data: the download holds every kind of record; erasure leaves their
name and email nowhere in the database while the course's figures stay as they were."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import AttendanceStatus, PaymentMethod
from domain.services.attendance import mark_attendance
from domain.services.payments import confirm_payment
from domain.services.personal_data import ErasureRefused, erase_student, export_personal_data
from domain.services.registration import register_student
from tests.admin.test_query_counts import counting
from tests.factories import staff_actor
from tests.integration import pd_factories as pd
from tests.integration.r_factories import NOW, PUBLIC, add_course, add_session, details


def _audit_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(t.audit_entries)) or 0)


def test_the_download_holds_every_kind_of_record(db: Database) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    data = export_personal_data(db, story.student_id, actor=staff)
    sections = data.sections
    assert sections["profile"][0]["email"] == pd.EMAIL
    assert sections["profile"][0]["emergency_contact"].startswith("Orla")
    assert [r["special_requests"] for r in sections["registrations"]] == [
        "Zephyrine has a sore knee"
    ]
    assert [(p["amount_due"], p["payment_reference"]) for p in sections["payments"]] == [
        (Decimal("110.00"), "VEN-1")
    ]
    assert [a["status"] for a in sections["attendance"]] == ["present"]
    assert sections["emails"] and all(e["to_address"] == pd.EMAIL for e in sections["emails"])
    actions = {entry["action"] for entry in sections["audit entries"]}
    assert {"registration.create", "payment.confirm", "attendance.mark"} <= actions
    # Nothing of the other student.
    assert "dancer2@example.org" not in repr(sections)


def test_the_download_is_audited_by_whom_of_whom(db: Database) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    export_personal_data(db, story.student_id, actor=staff)
    a = t.audit_entries.c
    with db.read() as s:
        entry = s.execute(
            select(a.actor_label, a.entity_type, a.entity_id, a.changes).where(
                a.action == "student.export_personal_data"
            )
        ).one()
    assert tuple(entry) == ("maria", "Student", str(story.student_id), {})


def test_an_erased_student_is_named_nowhere_and_the_course_figures_stay(db: Database) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    figures = pd.course_figures(db, story.course_id)
    assert pd.places_naming(db, pd.FIRST, pd.LAST, pd.EMAIL)  # the test can see them
    erase_student(db, story.student_id, actor=staff, now=pd.AFTER)
    assert pd.places_naming(db, pd.FIRST, pd.LAST, pd.EMAIL, "Orla", "sore knee") == []
    assert pd.course_figures(db, story.course_id) == figures
    s_ = t.students.c
    with db.read() as s:
        name, email = s.execute(
            select(s_.first_name, s_.email).where(s_.id == story.student_id)
        ).one()
        other = s.scalar(select(s_.email).where(s_.id == story.other_student_id))
        tokens = s.scalar(
            select(func.count())
            .select_from(t.link_tokens)
            .where(t.link_tokens.c.student_id == story.student_id)
        )
    assert (name, email) == (f"Erased student #{story.student_id}", None)
    assert other == "dancer2@example.org"
    assert tokens == 0
    # Their booking was recorded with the address they booked from: it goes too.
    a = t.audit_entries.c
    with db.read() as s:
        booked_by = s.scalar(
            select(a.actor_label).where(
                a.action == "registration.create", a.entity_id == str(story.registration_id)
            )
        )
    assert booked_by == "public"


def test_an_erasure_is_audited_without_the_erased_data(db: Database) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    erase_student(db, story.student_id, actor=staff, now=pd.AFTER)
    a = t.audit_entries.c
    with db.read() as s:
        entry = s.execute(
            select(a.actor_label, a.entity_id, a.changes, a.occurred_at).where(
                a.action == "student.erase_personal_data"
            )
        ).one()
    assert entry[:3] == ("maria", str(story.student_id), {})
    assert entry.occurred_at == pd.AFTER


def test_erasure_is_refused_while_a_registration_is_upcoming_and_writes_nothing(
    db: Database,
) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    audits = _audit_count(db)
    with pytest.raises(ErasureRefused, match="not yet over: cancel it first"):
        erase_student(db, story.student_id, actor=staff, now=NOW)
    assert _audit_count(db) == audits
    assert pd.places_naming(db, pd.EMAIL)


def _statements_to_export(db: Database, student_id: int) -> int:
    with counting(db) as statements:
        export_personal_data(db, student_id, actor=Actor.script())
    return len(statements)


def test_the_download_costs_the_same_statements_whatever_the_record(db: Database) -> None:
    staff = staff_actor(db)
    story = pd.story(db, staff)
    few = _statements_to_export(db, story.student_id)
    # Five more courses, each booked, paid and attended: many more rows of every kind.
    for n in range(5):
        course = add_course(db, title=f"Course {n}", package=["20.00"])
        session = add_session(db, course, date(2030, 2, 5 + n))
        outcome = register_student(
            db, course_id=course, student=details(1, email=pd.EMAIL), actor=PUBLIC, now=NOW
        )
        confirm_payment(
            db,
            registration_id=outcome.registration_id,
            method=PaymentMethod.VENMO,
            reference=f"V{n}",
            actor=staff,
            now=NOW,
        )
        mark_attendance(
            db,
            session_id=session,
            marks={outcome.registration_id: AttendanceStatus.PRESENT},
            actor=staff,
            now=NOW + timedelta(days=30),
        )
    data = export_personal_data(db, story.student_id, actor=staff)
    assert len(data.sections["registrations"]) == 6 and len(data.sections["attendance"]) == 6
    assert _statements_to_export(db, story.student_id) == few
