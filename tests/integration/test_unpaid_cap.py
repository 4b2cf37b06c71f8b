"""One internet address holds at most a few unpaid bookings (``unpaid_bookings_per_address``).

Without the cap one visitor could hold every seat of a course for the whole
payment hold, booking with made-up emails. Public bookings and claimed offers
that leave a payment pending count; free, paid, cancelled and lapsed ones do
not, nor do staff registrations and school sign-ups. The count is taken under
the address's lock, so bookings sent at once from one address cannot all pass.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentStatus
from domain.errors import TooManyUnpaid
from domain.services import unpaid_holds
from domain.services.courses import update_course
from domain.services.payments import cancel_registration, confirm_payment
from domain.services.registration import register_by_staff, register_student
from domain.services.school_signup import NewSchool, Participant, sign_up_school
from domain.services.settings import update_setting
from domain.services.waitlist import join_waitlist
from domain.services.waitlist_offers import claim_offer, offer_next_seat
from tests.integration.r_factories import (
    NOW,
    PUBLIC,
    add_course,
    add_student,
    details,
    later,
    row_count,
    staff,
)

CAP = 4
OTHER = Actor.public("198.51.100.77")


def book(db: Database, course_id: int, n: int | str, actor: Actor = PUBLIC) -> int:
    outcome = register_student(db, course_id=course_id, student=details(n), actor=actor, now=NOW)
    return outcome.registration_id


def paid_course(db: Database, title: str = "Salsa Series", capacity: int = 30) -> int:
    return add_course(db, school_signup=True, title=title, capacity=capacity, package=["80.00"])


def pending_of(db: Database, address: str) -> int:
    r = t.registrations.c
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count()).where(
                    r.client_address == address,
                    r.payment_status == PaymentStatus.PENDING.value,
                    r.cancelled_at.is_(None),
                )
            )
            or 0
        )


def test_the_fifth_unpaid_booking_from_one_address_is_refused_and_writes_nothing(
    db: Database,
) -> None:
    course = paid_course(db)
    for n in range(CAP):
        book(db, course, n)
    students, registrations = row_count(db, "students"), row_count(db, "registrations")

    with pytest.raises(TooManyUnpaid, match="You have 4 unpaid bookings waiting for payment"):
        book(db, course, "fifth")

    assert (row_count(db, "students"), row_count(db, "registrations")) == (
        students,
        registrations,
    )
    assert pending_of(db, PUBLIC.address) == CAP


def test_the_cap_spans_courses_and_another_address_books_freely(db: Database) -> None:
    courses = [paid_course(db, f"Course {n}") for n in range(CAP + 1)]
    for n, course in enumerate(courses[:CAP]):
        book(db, course, n)
    with pytest.raises(TooManyUnpaid):
        book(db, courses[CAP], "over")
    book(db, courses[CAP], "neighbour", actor=OTHER)
    assert pending_of(db, OTHER.address) == 1


def test_free_bookings_neither_count_nor_are_refused(db: Database) -> None:
    free = add_course(db, title="Open class", capacity=30)
    for n in range(CAP + 2):
        book(db, free, n)
    paid = paid_course(db)
    for n in range(CAP):
        book(db, paid, f"p{n}")
    assert pending_of(db, PUBLIC.address) == CAP
    with db.read() as s:
        stored = s.scalars(
            select(t.registrations.c.client_address).where(t.registrations.c.course_id == free)
        ).all()
    assert set(stored) == {None}  # a free booking keeps no address


def test_paid_cancelled_and_lapsed_bookings_free_a_place(db: Database) -> None:
    course = paid_course(db)
    boss = staff(db)
    held = [book(db, course, n) for n in range(CAP)]
    confirm_payment(db, registration_id=held[0], method="cash", reference="", actor=boss)
    cancel_registration(db, registration_id=held[1], reason="Changed plans", actor=boss)
    book(db, course, "after-paying")
    book(db, course, "after-cancelling")
    with pytest.raises(TooManyUnpaid):
        book(db, course, "one-too-many")
    # Once the holds lapse (72 hours by default), the address may book again.
    register_student(db, course_id=course, student=details("later"), actor=PUBLIC, now=later(73))


def test_staff_registrations_and_school_signups_are_not_capped(db: Database) -> None:
    course = paid_course(db)
    boss = staff(db)
    for n in range(CAP):
        book(db, course, n)
    school = NewSchool(
        name="Hill Academy",
        location="Springfield",
        contact_name="Pat",
        contact_email="pat@hill.example",
    )
    signed_up = sign_up_school(
        db,
        course_id=course,
        school_id=None,
        new_school=school,
        participants=[Participant(name=f"Pupil {n}") for n in range(CAP + 1)],
        actor=PUBLIC,
        now=NOW,
    )
    assert len(signed_up) == CAP + 1
    register_student(db, course_id=course, student=details("walk-in"), actor=boss, now=NOW)
    register_by_staff(
        db,
        course_id=course,
        student_id=add_student(db, "phoned@example.org"),
        override_reason="",
        actor=boss,
        now=NOW,
    )
    assert pending_of(db, PUBLIC.address) == CAP


def test_the_limit_is_a_setting_and_zero_lifts_it(db: Database) -> None:
    course = paid_course(db)
    boss = staff(db)
    update_setting(db, "unpaid_bookings_per_address", "2", actor=boss)
    book(db, course, 1)
    book(db, course, 2)
    with pytest.raises(TooManyUnpaid, match="You have 2 unpaid bookings"):
        book(db, course, 3)
    update_setting(db, "unpaid_bookings_per_address", "0", actor=boss)
    for n in range(3, 3 + CAP):
        book(db, course, n)
    assert pending_of(db, PUBLIC.address) == 2 + CAP


def test_a_claimed_offer_counts_and_is_capped(db: Database) -> None:
    boss = staff(db)
    update_setting(db, "automatic_offers", "no", actor=boss)
    wanted = paid_course(db, "Wanted", capacity=1)
    book(db, wanted, "seat-holder", actor=OTHER)
    join_waitlist(db, course_id=wanted, student=details("waiting"), actor=PUBLIC, now=NOW)
    update_course(db, wanted, {"capacity": 2}, actor=boss, now=NOW)
    token = offer_next_seat(db, course_id=wanted, actor=boss, now=NOW)
    assert token is not None
    elsewhere = paid_course(db, "Elsewhere")
    for n in range(CAP):
        book(db, elsewhere, n)

    with pytest.raises(TooManyUnpaid):
        claim_offer(db, token=token, actor=PUBLIC, now=NOW)
    # The offer stays open; claimed from a connection without unpaid bookings
    # waiting (the student's phone, say), it goes through and counts there.
    claimed = claim_offer(db, token=token, actor=OTHER, now=NOW)
    assert claimed.created and claimed.payment_status == PaymentStatus.PENDING
    assert pending_of(db, OTHER.address) == 2


#: Bookings sent at once from one address, each for its own course, so that no
#: course lock puts them in a line: only the address's lock can.
RACERS = 10
#: Widens the gap between counting the address's bookings and inserting one.
RACE_PAUSE = 0.05


def _race(db: Database) -> Counter[str]:
    courses = [paid_course(db, f"Race {n}") for n in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    tally: Counter[str] = Counter()
    guard = threading.Lock()

    def run(n: int) -> None:
        barrier.wait()
        try:
            book(db, courses[n], f"racer{n}")
            outcome = "pending"
        except TooManyUnpaid:
            outcome = "refused"
        with guard:
            tally[outcome] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return tally


@pytest.fixture
def slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    real = unpaid_holds.unpaid_held

    def counted_then_pause(session: Session, address: str, *, now: object) -> int:
        held = real(session, address, now=now)  # type: ignore[arg-type]
        time.sleep(RACE_PAUSE)
        return held

    monkeypatch.setattr(unpaid_holds, "unpaid_held", counted_then_pause)


def test_ten_bookings_at_once_from_one_address_leave_at_most_four_pending(
    db: Database, slow_count: None
) -> None:
    tally = _race(db)
    assert tally == Counter(pending=CAP, refused=RACERS - CAP), tally
    assert pending_of(db, PUBLIC.address) == CAP


@pytest.mark.parametrize("backend", ["postgresql"])
def test_canary_without_the_address_lock_the_race_passes_the_cap(
    db: Database, slow_count: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite's single write lock lines every booking up anyway; PostgreSQL needs ours.
    no_lock: Callable[[Session, str], None] = lambda session, address: None  # noqa: E731
    monkeypatch.setattr(unpaid_holds, "lock_address", no_lock)
    _race(db)
    assert pending_of(db, PUBLIC.address) > CAP
