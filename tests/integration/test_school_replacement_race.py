"""A replacement under load: the seat passes over, never to a booker racing for it.

A full course: the school's two teachers hold both seats. At one moment several
contacts' requests replace the same teacher with different people while members
of the public try to book. Exactly one replacement goes through, nobody books,
the course stays exactly full and the waitlist is offered nothing.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select

from domain.actors import Actor
from domain.db import tables as t
from domain.db.database import Database
from domain.errors import CourseFull, RegistrationClosed
from domain.services.registration import StudentDetails, register_student
from domain.services.school_portal import NewParticipant, replace_participant, school_contact
from domain.services.waitlist import join_waitlist
from tests.integration.r_factories import active_count
from tests.public.my_school_setup import make_contact_school, school_course, sign_up

REPLACERS = 6
BOOKERS = 6


def _race(calls: list[Callable[[], object]]) -> Counter[str]:
    barrier = threading.Barrier(len(calls))
    tally: Counter[str] = Counter()
    guard = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            call()
            outcome = "done"
        except CourseFull:
            outcome = "full"
        except RegistrationClosed:
            outcome = "no seat to pass on"
        except Exception as exc:  # every other failure is reported, none swallowed
            outcome = f"{type(exc).__name__}: {exc}"
        with guard:
            tally[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return tally


def test_concurrent_replacements_and_bookings_keep_the_course_exactly_full(
    db: Database,
) -> None:
    school_id = make_contact_school(db)
    course_id = school_course(db, capacity=2)
    ada, _bob = sign_up(db, school_id, course_id, "Ada Teacher", "Bob Coach")
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email="wait@example.com", first_name="Wanda"),
        actor=Actor.public("198.51.100.2"),
    )

    def replacer(n: int) -> Callable[[], object]:
        return lambda: replace_participant(
            db,
            school_id=school_id,
            registration_id=ada,
            person=NewParticipant(name=f"Newcomer {n}"),
            reason="Ada is on leave",
            actor=school_contact(school_id, "192.0.2.50"),
        )

    def booker(n: int) -> Callable[[], object]:
        return lambda: register_student(
            db,
            course_id=course_id,
            student=StudentDetails(email=f"booker{n}@example.com", first_name=f"Booker{n}"),
            actor=Actor.public(f"203.0.113.{n}"),
        )

    calls = [replacer(n) for n in range(REPLACERS)] + [booker(n) for n in range(BOOKERS)]
    tally = _race(calls)
    assert tally == Counter({"done": 1, "no seat to pass on": REPLACERS - 1, "full": BOOKERS}), (
        tally
    )
    assert active_count(db, course_id) == 2
    with db.read() as session:
        statuses = session.scalars(select(t.waitlist_entries.c.status)).all()
    assert statuses == ["waiting"]
