"""The catalogue service: what the public may book, at what price, with how many seats
left, by the same rules a booking is held to (both databases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db.database import Database
from domain.enums import PricingType, StudentType, WaitlistStatus
from domain.errors import DomainError
from domain.model import ClassSession, Course, WaitlistEntry
from domain.services.catalogue import catalogue_entries, catalogue_entry, school_signup_courses
from domain.services.registration import register_student
from domain.services.seats import seats_open_to_book
from domain.services.settings import update_setting
from tests.factories import insert
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    STARTS,
    add_course,
    add_session,
    add_student,
    details,
)

ZONE = "America/New_York"
#: Monday 4 March 2030, noon in New York (17:00 UTC): week 5 of a series begun on STARTS.
NOON = datetime(2030, 3, 4, 17, 0, tzinfo=UTC)


def _add_class(db: Database, course_id: int, day: date, starts: time) -> int:
    with db.write() as s:
        course = s.get(Course, course_id)
        assert course is not None
        row = ClassSession(
            course_id=course_id, slot_id=course.slots[0].id, session_date=day, start_time=starts
        )
        s.add(row)
        s.commit()
        assert row.id is not None
        return row.id


def test_catalogue_offers_exactly_the_drop_in_classes_a_public_booking_accepts(
    db: Database,
) -> None:
    update_setting(db, "timezone", ZONE, actor=PUBLIC)
    course = add_course(db, package=["80.00"], drop_in=["15.00"])
    classes = {
        "last week": _add_class(db, course, date(2030, 2, 25), time(18)),
        "this morning": _add_class(db, course, date(2030, 3, 4), time(9)),
        "tonight": _add_class(db, course, date(2030, 3, 4), time(18)),
        "next week": _add_class(db, course, date(2030, 3, 11), time(18)),
    }
    with db.read() as s:
        entry = catalogue_entry(s, course, now=NOON)
    assert entry is not None and entry.started
    offered = {d.session_id for d in entry.drop_ins}
    assert offered == {classes["tonight"], classes["next week"]}
    for n, (name, class_id) in enumerate(classes.items()):
        try:
            register_student(
                db,
                course_id=course,
                student=details(n),
                pricing_type=PricingType.DROP_IN,
                drop_in_session_id=class_id,
                actor=Actor.public(f"203.0.113.{n + 1}"),
                now=NOON,
            )
            accepted = True
        except DomainError:
            accepted = False
        assert accepted == (class_id in offered), name


def test_catalogue_seats_agree_with_each_course_counted_alone(db: Database) -> None:
    quiet = add_course(db, title="Quiet", capacity=3, package=["50.00"])
    busy = add_course(db, title="Busy", capacity=5, package=["50.00"], drop_in=["15.00"])
    monday = add_session(db, busy, date(2030, 2, 11))
    tuesday = add_session(db, busy, date(2030, 2, 12))
    register_student(db, course_id=quiet, student=details(1), actor=PUBLIC, now=NOW)
    for n in (2, 3):
        register_student(db, course_id=busy, student=details(n), actor=PUBLIC, now=NOW)
    register_student(
        db,
        course_id=busy,
        student=details(4),
        pricing_type=PricingType.DROP_IN,
        drop_in_session_id=monday,
        actor=Actor.public("203.0.113.44"),
        now=NOW,
    )
    # An open offer on the quiet course holds a seat there, and only there.
    insert(
        db,
        WaitlistEntry(
            student_id=add_student(db, "waiting@example.org"),
            course_id=quiet,
            position=1,
            status=WaitlistStatus.OFFERED,
            offer_expires_at=NOW + timedelta(days=1),
        ),
    )
    with db.read() as s:
        entries = {e.title: e for e in catalogue_entries(s, now=NOW)}
        alone = {
            "Quiet": _counted_alone(s, quiet),
            "Busy": _counted_alone(s, busy),
            "Busy on Monday": _counted_alone(s, busy, monday),
            "Busy on Tuesday": _counted_alone(s, busy, tuesday),
        }
    assert alone == {"Quiet": 1, "Busy": 2, "Busy on Monday": 2, "Busy on Tuesday": 3}
    by_class = {d.session_id: d.seats_left for d in entries["Busy"].drop_ins}
    assert (entries["Quiet"].seats_left, entries["Busy"].seats_left) == (1, 2)
    assert by_class == {monday: 2, tuesday: 3}


def _counted_alone(s: Session, course_id: int, drop_in_session_id: int | None = None) -> int:
    course = s.get(Course, course_id)
    assert course is not None
    return seats_open_to_book(s, course, now=NOW, drop_in_session_id=drop_in_session_id)


def test_booking_charges_the_prices_the_catalogue_shows(db: Database) -> None:
    course = add_course(db, package=["40.00", "50.00"], drop_in=["15.00", "20.00"])
    second_slot_class = add_session(db, course, date(2030, 2, 12), slot_index=1)
    with db.read() as s:
        entry = catalogue_entry(s, course, now=NOW)
    assert entry is not None
    assert entry.package_amount == Decimal("90.00")
    assert entry.drop_in_amounts == (Decimal("15.00"), Decimal("20.00"))
    (drop_in,) = entry.drop_ins
    package = register_student(db, course_id=course, student=details(1), actor=PUBLIC, now=NOW)
    one_class = register_student(
        db,
        course_id=course,
        student=details(2),
        pricing_type=PricingType.DROP_IN,
        drop_in_session_id=second_slot_class,
        actor=PUBLIC,
        now=NOW,
    )
    assert package.amount_due == entry.package_amount
    assert one_class.amount_due == drop_in.amount == Decimal("20.00")


def test_crew_only_course_is_reachable_by_its_address_but_not_listed(db: Database) -> None:
    crew = add_course(db, title="Crew practice", required_student_type=StudentType.CREW_MEMBER)
    add_course(db, title="Open class")
    with db.read() as s:
        listed = [e.title for e in catalogue_entries(s, now=NOW)]
        reached = catalogue_entry(s, crew, now=NOW)
    assert listed == ["Open class"]
    assert reached is not None and reached.required_student_type == StudentType.CREW_MEMBER


def test_courses_stay_listed_while_registration_is_closed(db: Database) -> None:
    # Closing registration is a pause: the courses stay on show, and a booking
    # is told registration is closed (tests/integration/test_registration.py).
    update_setting(db, "registration_open", "no", actor=PUBLIC)
    course = add_course(db)
    with db.read() as s:
        assert [e.course_id for e in catalogue_entries(s, now=NOW)] == [course]
        assert catalogue_entry(s, course, now=NOW) is not None


def test_unpublished_and_finished_courses_offer_nothing(db: Database) -> None:
    draft = add_course(db, title="Draft", published=False)
    finished = add_course(
        db, title="Finished", drop_in=["15.00"], starts_at=STARTS - timedelta(weeks=10)
    )
    add_session(db, finished, date(2029, 11, 26))
    with db.read() as s:
        assert catalogue_entries(s, now=NOW) == []
        assert catalogue_entry(s, draft, now=NOW) is None
        assert catalogue_entry(s, finished, now=NOW) is None
        assert catalogue_entry(s, 999_999, now=NOW) is None


def test_schools_sign_up_for_the_listed_courses_open_to_them_whose_full_package_is_on_sale(
    db: Database,
) -> None:
    add_course(db, title="Upcoming", school_signup=True)
    add_course(db, title="Dance class")
    running = add_course(
        db,
        title="Running",
        drop_in=["15.00"],
        starts_at=NOW - timedelta(weeks=1),
        school_signup=True,
    )
    add_session(db, running, NOW.date() + timedelta(days=3))
    add_course(
        db,
        title="Crew practice",
        required_student_type=StudentType.CREW_MEMBER,
        school_signup=True,
    )
    with db.read() as s:
        listed = {e.title: e.started for e in catalogue_entries(s, now=NOW)}
        sold_whole = [e.title for e in school_signup_courses(s, now=NOW)]
    assert listed == {"Running": True, "Upcoming": False, "Dance class": False}
    assert sold_whole == ["Upcoming"]
