"""Registering on the public path and by staff (rules 1-4), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import LinkPurpose, PaymentStatus, PricingType, RegistrationSource, StudentType
from domain.errors import CourseFull, NotEligible, NotFound, RegistrationClosed, ValidationError
from domain.link_tokens import find_link
from domain.model import Student
from domain.services.registration import register_by_staff, register_student
from domain.services.seats import lock_course, seats_left
from domain.services.settings import update_setting
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    STARTS,
    active_count,
    add_course,
    add_session,
    add_student,
    audit_actions,
    details,
    emails,
    registration,
    row_count,
    staff,
)
from tests.integration.r_factories import public_booking as _register


def test_new_student_is_created_from_the_form_details(db: Database) -> None:
    course = add_course(db)
    outcome = register_student(
        db,
        course_id=course,
        student=details(1, email="  Ana.Lopez@Example.ORG "),
        actor=PUBLIC,
        now=NOW,
    )
    assert outcome.created
    with db.read() as s:
        student = s.get(Student, registration(db, outcome.registration_id).student_id)
        assert student is not None
        assert student.email == "ana.lopez@example.org"
        assert (student.first_name, student.last_name, student.phone) == (
            "Dancer1",
            "Lopez",
            "555-0101",
        )
        assert student.profile_complete


def test_student_missing_profile_fields_is_not_profile_complete(db: Database) -> None:
    outcome = register_student(
        db, course_id=add_course(db), student=details(1, phone=""), actor=PUBLIC, now=NOW
    )
    with db.read() as s:
        student = s.get(Student, registration(db, outcome.registration_id).student_id)
        assert student is not None and not student.profile_complete


def test_known_student_keeps_their_stored_details(db: Database) -> None:
    add_student(db, "ana@example.org", first_name="Ana")
    outcome = register_student(
        db,
        course_id=add_course(db),
        student=details(1, email="ANA@example.org", first_name="Mallory", phone="999"),
        actor=PUBLIC,
        now=NOW,
    )
    with db.read() as s:
        student = s.get(Student, registration(db, outcome.registration_id).student_id)
        assert student is not None
        assert (student.first_name, student.phone) == ("Ana", "")
    assert row_count(db, "students") == 1


def test_repeated_submission_returns_the_existing_registration(db: Database) -> None:
    course = add_course(db, package=["80.00"])
    first = _register(db, course)
    second = _register(db, course)
    assert first.created and not second.created  # type: ignore[attr-defined]
    assert second.registration_id == first.registration_id  # type: ignore[attr-defined]
    assert second.link_token is None  # type: ignore[attr-defined]
    assert row_count(db, "registrations") == 1


def test_full_package_costs_the_sum_of_the_slots_package_prices(db: Database) -> None:
    course = add_course(db, package=["80.00", "45.50"])
    outcome = _register(db, course)
    assert outcome.amount_due == Decimal("125.50")  # type: ignore[attr-defined]
    assert outcome.payment_status == PaymentStatus.PENDING  # type: ignore[attr-defined]
    assert registration(db, outcome.registration_id).amount_due == Decimal("125.50")  # type: ignore[attr-defined]


def test_drop_in_costs_the_price_of_its_sessions_slot(db: Database) -> None:
    course = add_course(db, package=["80.00", "60.00"], drop_in=["15.00", "12.00"])
    session_id = add_session(db, course, date(2030, 2, 5), slot_index=1)
    outcome = _register(db, course, pricing_type=PricingType.DROP_IN, drop_in_session_id=session_id)
    assert outcome.amount_due == Decimal("12.00")  # type: ignore[attr-defined]
    assert registration(db, outcome.registration_id).drop_in_session_id == session_id  # type: ignore[attr-defined]


def test_free_course_needs_no_payment(db: Database) -> None:
    outcome = _register(db, add_course(db))
    assert outcome.amount_due == Decimal("0.00")  # type: ignore[attr-defined]
    assert outcome.payment_status == PaymentStatus.NOT_REQUIRED  # type: ignore[attr-defined]
    assert registration(db, outcome.registration_id).hold_expires_at is None  # type: ignore[attr-defined]


def test_drop_in_without_a_drop_in_price_is_refused_and_changes_nothing(db: Database) -> None:
    course = add_course(db, package=["80.00"])
    session_id = add_session(db, course, date(2030, 2, 5))
    with pytest.raises(ValidationError, match="This course has no drop-in option"):
        _register(db, course, pricing_type=PricingType.DROP_IN, drop_in_session_id=session_id)
    assert row_count(db, "registrations") == 0
    assert row_count(db, "students") == 0


def test_drop_in_for_a_session_of_another_course_is_refused(db: Database) -> None:
    course = add_course(db, drop_in=["15.00"])
    other = add_session(db, add_course(db, title="Bachata"), date(2030, 2, 5))
    with pytest.raises(NotFound, match="not part of the course"):
        _register(db, course, pricing_type=PricingType.DROP_IN, drop_in_session_id=other)


def test_drop_in_holds_a_seat_in_its_session_only(db: Database) -> None:
    course = add_course(db, capacity=1, drop_in=["15.00"], package=["80.00"])
    monday = add_session(db, course, date(2030, 2, 4))
    tuesday = add_session(db, course, date(2030, 2, 11))
    _register(db, course, 1, pricing_type=PricingType.DROP_IN, drop_in_session_id=monday)
    with pytest.raises(CourseFull):
        _register(db, course, 2, pricing_type=PricingType.DROP_IN, drop_in_session_id=monday)
    other_day = _register(
        db, course, 2, pricing_type=PricingType.DROP_IN, drop_in_session_id=tuesday
    )
    assert other_day.created  # type: ignore[attr-defined]
    # A full package needs every session, and both are taken now.
    with pytest.raises(CourseFull):
        _register(db, course, 3)


def test_seats_left_counts_packages_and_the_sessions_drop_ins(db: Database) -> None:
    course = add_course(db, capacity=3, drop_in=["15.00"], package=["80.00"])
    monday = add_session(db, course, date(2030, 2, 4))
    _register(db, course, 1)
    _register(db, course, 2, pricing_type=PricingType.DROP_IN, drop_in_session_id=monday)
    with db.write() as s:
        locked = lock_course(s, course)
        assert seats_left(s, locked, now=NOW) == 1
        assert seats_left(s, locked, now=NOW, drop_in_session_id=monday) == 1
        assert seats_left(s, locked, now=NOW, drop_in_session_id=monday + 1) == 2


def test_crew_only_course_refuses_unclassified_students(db: Database) -> None:
    course = add_course(db, required_student_type=StudentType.CREW_MEMBER)
    add_student(db, "crew@example.org", student_type=StudentType.CREW_MEMBER, classified=False)
    with pytest.raises(NotEligible, match="only for crew members"):
        register_student(
            db,
            course_id=course,
            student=details(1, email="crew@example.org"),
            actor=PUBLIC,
            now=NOW,
        )
    with pytest.raises(NotEligible):
        _register(db, course, 2)  # a brand-new student is never classified
    assert row_count(db, "registrations") == 0


def test_crew_only_course_admits_classified_crew_members(db: Database) -> None:
    course = add_course(db, required_student_type=StudentType.CREW_MEMBER)
    add_student(db, "crew@example.org", student_type=StudentType.CREW_MEMBER, classified=True)
    outcome = register_student(
        db, course_id=course, student=details(1, email="crew@example.org"), actor=PUBLIC, now=NOW
    )
    assert outcome.created


def test_public_cannot_register_while_registration_is_closed(db: Database) -> None:
    update_setting(db, "registration_open", "no", actor=PUBLIC)
    with pytest.raises(RegistrationClosed, match="Registration is closed"):
        _register(db, add_course(db))
    assert row_count(db, "students") == 0


def test_unpublished_course_is_not_found_by_the_public(db: Database) -> None:
    with pytest.raises(NotFound, match="not open for registration"):
        _register(db, add_course(db, published=False))


def test_course_that_has_started_is_closed_to_the_public(db: Database) -> None:
    course = add_course(db)
    with pytest.raises(RegistrationClosed, match="already started"):
        register_student(
            db, course_id=course, student=details(1), actor=PUBLIC, now=STARTS + timedelta(hours=1)
        )


def test_unknown_course_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="This course does not exist"):
        _register(db, 4242)


def test_bad_email_is_refused_and_changes_nothing(db: Database) -> None:
    course = add_course(db)
    with pytest.raises(ValidationError, match="not an email address") as caught:
        register_student(
            db, course_id=course, student=details(1, email="ana at home"), actor=PUBLIC, now=NOW
        )
    assert caught.value.field == "email"
    assert row_count(db, "students") == 0 and row_count(db, "audit_entries") == 0


def test_registration_emails_payment_instructions_and_links(db: Database) -> None:
    update_setting(db, "zelle_phone", "555-0100", actor=PUBLIC)
    update_setting(db, "zelle_recipient_name", "Salsa Studio", actor=PUBLIC)
    update_setting(db, "venmo_handle", "salsa-studio", actor=PUBLIC)
    course = add_course(db, package=["120.00"])
    outcome = _register(db, course)
    [email] = emails(db, "registration_received")
    assert email.to_address == "dancer1@example.org"
    note = f"Rollbook #{outcome.registration_id} Salsa Series 4 Feb \u2013 25 Mar 2030"  # type: ignore[attr-defined]
    assert note in email.body_text
    assert "555-0100" in email.body_text and "$120.00" in email.body_text
    assert "/registrations/cancel/" in email.body_text
    assert "https://venmo.com/salsa-studio?txn=pay&amount=120.00" in email.body_text
    with db.read() as s:
        link = find_link(s, outcome.link_token, LinkPurpose.VIEW_REGISTRATION, now=NOW)  # type: ignore[attr-defined]
        assert link.registration_id == outcome.registration_id  # type: ignore[attr-defined]


def test_registration_is_audited_with_who_did_it(db: Database) -> None:
    outcome = _register(db, add_course(db, package=["80.00"]))
    entries = {e.action: e for e in audit_actions(db)}
    created = entries["registration.create"]
    assert created.actor_label == "public 203.0.113.9"
    assert created.entity_id == str(outcome.registration_id)  # type: ignore[attr-defined]
    assert created.changes["amount_due"] == [None, "80.00"]
    assert "student.create" in entries


def test_staff_may_register_past_capacity_with_a_recorded_reason(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, capacity=1)
    _register(db, course, 1)
    student = add_student(db, "late@example.org")
    outcome = register_by_staff(
        db,
        course_id=course,
        student_id=student,
        override_reason="Owner's friend",
        actor=maria,
        now=NOW,
    )
    saved = registration(db, outcome.registration_id)
    assert saved.override_reason == "Owner's friend"
    assert saved.created_by_id == maria.staff_user_id
    assert active_count(db, course) == 2
    [entry] = [e for e in audit_actions(db) if e.entity_id == str(outcome.registration_id)]
    assert entry.reason == "Owner's friend" and entry.actor_label == "maria"


def test_staff_override_without_a_reason_is_refused(db: Database) -> None:
    maria = staff(db)
    course = add_course(db, required_student_type=StudentType.CREW_MEMBER)
    student = add_student(db, "general@example.org")
    with pytest.raises(ValidationError, match="bends the eligibility rule") as caught:
        register_by_staff(
            db, course_id=course, student_id=student, override_reason=" ", actor=maria, now=NOW
        )
    assert caught.value.field == "override_reason"
    assert row_count(db, "registrations") == 0


def test_staff_registration_within_the_rules_records_no_override(db: Database) -> None:
    maria = staff(db)
    student = add_student(db, "ana@example.org")
    outcome = register_by_staff(
        db, course_id=add_course(db), student_id=student, override_reason="", actor=maria, now=NOW
    )
    assert outcome.created
    assert registration(db, outcome.registration_id).override_reason == ""


def test_student_with_the_full_package_asking_for_a_drop_in_keeps_the_package(
    db: Database,
) -> None:
    course = add_course(db, package=["80.00"], drop_in=["15.00"])
    monday = add_session(db, course, date(2030, 2, 4))
    package = _register(db, course)
    drop_in = _register(db, course, pricing_type=PricingType.DROP_IN, drop_in_session_id=monday)
    assert not drop_in.created  # type: ignore[attr-defined]
    assert drop_in.registration_id == package.registration_id  # type: ignore[attr-defined]


def test_public_may_not_pick_a_class_that_already_took_place(db: Database) -> None:
    course = add_course(db, drop_in=["15.00"])
    past = add_session(db, course, date(2030, 1, 3))
    with pytest.raises(RegistrationClosed, match="class has already started"):
        _register(db, course, pricing_type=PricingType.DROP_IN, drop_in_session_id=past)


def test_script_may_register_for_an_unpublished_course_within_capacity(db: Database) -> None:
    course = add_course(db, published=False, capacity=1)
    outcome = register_student(
        db,
        course_id=course,
        student=details(1),
        actor=Actor.script("import"),
        source=RegistrationSource.SCRIPT,
        now=NOW,
    )
    assert outcome.created
    with pytest.raises(CourseFull):
        register_student(
            db,
            course_id=course,
            student=details(2),
            actor=Actor.script("import"),
            source=RegistrationSource.SCRIPT,
            now=NOW,
        )
