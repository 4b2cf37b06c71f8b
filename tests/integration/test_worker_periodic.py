"""The worker's periodic jobs: an unpaid hold expires, its seat is offered, the offer expires.

Each step's email travels through the real SMTP server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.enums import PaymentStatus, PricingType, WaitlistStatus
from domain.model import Course, CourseSlot, Price, Registration, WaitlistEntry
from domain.outbox.worker import run_periodic_jobs, send_due_emails
from domain.rules.settings import DEFAULTS
from domain.services.registration import StudentDetails, register_student
from domain.services.waitlist import join_waitlist
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

PUBLIC = Actor.public("198.51.100.7")


def _one_seat_course(db: Database, now: datetime) -> int:
    starts = (now + timedelta(days=30)).replace(hour=18, minute=0, second=0, microsecond=0)
    with db.write() as session:
        course = Course(
            title="Tango Night", starts_at=starts, capacity=1, is_published=True, location="Hall"
        )
        slot = CourseSlot(
            day_of_week=starts.weekday(),
            start_time=starts.time(),
            end_time=(starts + timedelta(hours=2)).time(),
        )
        slot.prices.append(Price(pricing_type=PricingType.FULL_PACKAGE, amount=Decimal("25")))
        course.slots.append(slot)
        session.add(course)
        session.commit()
        assert course.id is not None
        return course.id


def _subjects(server: SmtpServer) -> list[str]:
    return [str(m["Subject"]).split(" - ")[0] for m in server.messages]


def test_periodic_jobs_release_unpaid_seats_and_pass_expired_offers_on(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    now = utcnow().astimezone(UTC)
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    course_id = _one_seat_course(db, now)
    ana = register_student(
        db,
        course_id=course_id,
        student=StudentDetails(email="ana@example.org", first_name="Ana"),
        actor=PUBLIC,
        now=now,
    )
    join_waitlist(
        db,
        course_id=course_id,
        student=StudentDetails(email="ben@example.org", first_name="Ben"),
        actor=PUBLIC,
        now=now,
    )
    assert send_due_emails(db, config) == 2
    assert _subjects(smtp_server) == [
        "Registration received: Tango Night",
        "You are on the waitlist: Tango Night",
    ]

    # Nothing is due before the hold ends.
    assert run_periodic_jobs(db, now=now + timedelta(hours=1)) == {
        "payment_holds_expired": 0,
        "offers_expired": 0,
        "students_erased": 0,
        "class_reminders_queued": 0,
        "payment_nudges_queued": 0,
    }

    after_hold = now + timedelta(hours=DEFAULTS.payment_hold_hours, minutes=1)
    assert run_periodic_jobs(db, now=after_hold)["payment_holds_expired"] == 1
    with db.read() as session:
        registration = session.get(Registration, ana.registration_id)
        assert registration is not None
        assert registration.payment_status == PaymentStatus.EXPIRED
        entry = session.scalars(select(WaitlistEntry)).one()
        assert entry.status == WaitlistStatus.OFFERED
    send_due_emails(db, config, now=after_hold)
    offer = smtp_server.messages[-1]
    assert str(offer["To"]) == "Ben <ben@example.org>"
    assert str(offer["Subject"]).startswith("A seat is free for you: Tango Night")

    after_offer = after_hold + timedelta(hours=DEFAULTS.offer_hours, minutes=1)
    assert run_periodic_jobs(db, now=after_offer)["offers_expired"] == 1
    with db.read() as session:
        entry = session.scalars(select(WaitlistEntry)).one()
        assert entry.status == WaitlistStatus.EXPIRED
