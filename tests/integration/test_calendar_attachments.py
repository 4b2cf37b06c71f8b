"""The registration and payment emails carry the booking's classes as a calendar file,
parsed back from the message the real SMTP server received, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import select

from domain.actors import Actor
from domain.config import load_config
from domain.db import tables as t
from domain.db.database import Database
from domain.enums import PaymentMethod, PricingType
from domain.outbox.local_mailbox import LocalMailbox
from domain.outbox.worker import send_due_emails
from domain.services.payments import confirm_payment
from domain.services.registration import StudentDetails, register_student
from domain.services.settings import update_setting
from tests.public.factories import STAFF, make_course
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

PUBLIC = Actor.public("198.51.100.7")
MAYA = StudentDetails(email="maya@example.com", first_name="Maya", last_name="Lopez")


def _calendar_of(message: EmailMessage) -> tuple[str, list[Event]]:
    """The attached calendar's file name and its events, in time order."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    calendar = Calendar.from_ical(part.get_content())
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    return str(part.get_filename()), events


def _session_days(db: Database, course_id: int) -> list[tuple[int, datetime]]:
    zone = ZoneInfo("America/New_York")
    with db.read() as session:
        rows = session.execute(
            select(t.class_sessions.c.id, t.class_sessions.c.session_date)
            .where(t.class_sessions.c.course_id == course_id)
            .order_by(t.class_sessions.c.session_date)
        ).all()
    return [(row[0], datetime.combine(row[1], time(18, 0), tzinfo=zone)) for row in rows]


def test_registration_and_payment_emails_carry_every_class_of_the_booking(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    course = make_course(db, title="Salsa Beginners", sessions=True)
    registration = register_student(db, course_id=course, student=MAYA, actor=PUBLIC)
    confirm_payment(
        db,
        registration_id=registration.registration_id,
        method=PaymentMethod.ZELLE,
        reference="ZL-1",
        actor=STAFF,
    )
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    assert send_due_emails(db, config) == 2
    received, paid = smtp_server.wait_for(2)
    assert str(received["Subject"]).startswith("Registration received: Salsa Beginners")
    assert str(paid["Subject"]).startswith("Payment confirmed: Salsa Beginners")
    # The text is still there, readable, beside the attachment.
    assert "Thank you for registering" in received.get_body(("plain",)).get_content()

    sessions = _session_days(db, course)
    for message in (received, paid):
        filename, events = _calendar_of(message)
        assert filename == f"booking-{registration.registration_id}.ics"
        assert [e.decoded("dtstart") for e in events] == [start for _, start in sessions]
        assert [str(e["uid"]) for e in events] == [
            f"session-{sid}@localhost" for sid, _ in sessions
        ]
        assert {str(e["summary"]) for e in events} == {"Salsa Beginners (Rollbook)"}


def test_a_drop_in_email_carries_only_its_class(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    update_setting(db, "timezone", "America/New_York", actor=STAFF)
    course = make_course(db, title="Open Practice", sessions=True, drop_in_price=Decimal("15"))
    sessions = _session_days(db, course)
    chosen_id, chosen_start = sessions[2]
    register_student(
        db,
        course_id=course,
        student=MAYA,
        pricing_type=PricingType.DROP_IN,
        drop_in_session_id=chosen_id,
        actor=PUBLIC,
    )
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    assert send_due_emails(db, config) == 1
    (message,) = smtp_server.wait_for(1)
    _, events = _calendar_of(message)
    assert [(str(e["uid"]), e.decoded("dtstart")) for e in events] == [
        (f"session-{chosen_id}@localhost", chosen_start)
    ]


def test_the_local_mailbox_names_the_attached_calendar(db: Database, tmp_path: Path) -> None:
    course = make_course(db, title="Salsa Beginners", sessions=True)
    registration = register_student(db, course_id=course, student=MAYA, actor=PUBLIC)
    config = load_config(
        {
            "DATABASE_URL": db.url.render_as_string(hide_password=False),
            "ROLLBOOK_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "test-secret-key-" + "x" * 32,
        }
    )
    assert config.uses_local_mailbox
    assert send_due_emails(db, config) == 1
    box = LocalMailbox(config.mailbox_dir)
    (entry,) = box.entries()
    assert box.message(entry.key).attachments == (f"booking-{registration.registration_id}.ics",)
