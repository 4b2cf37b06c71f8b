"""Class reminders: due the setting's hours before each class, one per registrant and
start, whatever the number of workers; none after cancelling or for a late booking; a
moved class brings a "changed" notice. Every message goes through the real SMTP server."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import update

from domain.actors import Actor
from domain.config import Config
from domain.db.database import Database
from domain.db.tables import class_sessions
from domain.outbox.worker import send_due_emails
from domain.services.payments import cancel_registration
from domain.services.session_changes import SessionChange, change_session, parse_session_change
from domain.services.settings import update_setting
from tests.integration.reminder_seed import (
    BOOKED_AT,
    FIRST,
    SECOND,
    book,
    seed_course,
    workers_round,
)
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401


def _config(db: Database, server: SmtpServer, tmp_path: Path) -> Config:
    return mail_config(server, db.url.render_as_string(hide_password=False), tmp_path)


def _reminders(server: SmtpServer) -> Counter[tuple[str, str]]:
    return Counter(
        (str(m["To"]), str(m["Subject"]).split(" - ")[0])
        for m in server.messages
        if str(m["Subject"]).startswith(("Reminder", "Class changed"))
    )


def test_four_workers_send_each_registrant_one_reminder_per_class(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    for name in ("Ana", "Ben", "Cleo"):
        book(db, seeded.course_id, name)
    book(db, seeded.course_id, "Dora", drop_in_session=seeded.second_session)
    send_due_emails(db, config, now=BOOKED_AT)
    smtp_server.clear()

    # A day and a half before: nothing is due yet.
    workers_round(db, config, FIRST - timedelta(hours=36))
    assert _reminders(smtp_server) == Counter()

    # 23 hours before the first class, four workers at once, twice over.
    for _ in range(2):
        workers_round(db, config, FIRST - timedelta(hours=23))
    first = "Reminder: Tango Basics, Wed 6 Mar 2030, 18:00\u201320:00"
    assert _reminders(smtp_server) == Counter(
        {
            ("Ana <ana@example.org>", first): 1,
            ("Ben <ben@example.org>", first): 1,
            ("Cleo <cleo@example.org>", first): 1,
        }
    )
    body = smtp_server.messages[0].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Where: Hall A" in text
    assert "What to bring: Soft-soled shoes and water" in text
    assert "/registrations/cancel/" in text

    # The second class: the drop-in student too, for her class only.
    smtp_server.clear()
    for _ in range(2):
        workers_round(db, config, SECOND - timedelta(hours=2))
    second = "Reminder: Tango Basics, Wed 13 Mar 2030, 18:00\u201320:00"
    assert _reminders(smtp_server) == Counter(
        {(f"{n} <{n.lower()}@example.org>", second): 1 for n in ("Ana", "Ben", "Cleo", "Dora")}
    )


def test_cancelled_and_late_registrations_get_no_reminder(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    ana = book(db, seeded.course_id, "Ana")
    book(db, seeded.course_id, "Ben")
    cancel_registration(
        db, registration_id=ana, reason="Ill", actor=Actor.public("198.51.100.7"), now=BOOKED_AT
    )
    # Cleo books 10 hours before the class, after its reminder time: her booking
    # email told her everything.
    book(db, seeded.course_id, "Cleo", at=FIRST - timedelta(hours=10))
    smtp_server.clear()
    workers_round(db, config, FIRST - timedelta(hours=9))
    assert list(_reminders(smtp_server)) == [
        ("Ben <ben@example.org>", "Reminder: Tango Basics, Wed 6 Mar 2030, 18:00\u201320:00")
    ]


def test_a_class_moved_after_its_reminder_brings_a_changed_notice(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    workers_round(db, config, FIRST - timedelta(hours=20))
    with db.write() as session:
        session.execute(
            update(class_sessions)
            .where(class_sessions.c.id == seeded.first_session)
            .values(start_time=time(19), end_time=time(21))
        )
        session.commit()
    smtp_server.clear()
    for _ in range(2):
        workers_round(db, config, FIRST - timedelta(hours=19))
    assert _reminders(smtp_server) == Counter(
        {
            (
                "Ana <ana@example.org>",
                "Class changed: Tango Basics, Wed 6 Mar 2030, 19:00\u201321:00",
            ): 1
        }
    )


def test_no_reminders_when_the_setting_is_zero(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    update_setting(db, "reminder_hours", "0", actor=Actor.system())
    workers_round(db, config, FIRST - timedelta(hours=1))
    assert _reminders(smtp_server) == Counter()


def _move(db: Database, session_id: int, day: str, start: str, *, at: datetime) -> None:
    change = parse_session_change(
        {"what": "move", "session_date": day, "start_time": start, "reason": "Hall booked"}
    )
    change_session(db, session_id=session_id, change=change, actor=Actor.system(), now=at)


def test_reminders_follow_a_session_moved_before_its_reminder(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    _move(db, seeded.first_session, "2030-03-08", "18:00", at=BOOKED_AT)
    smtp_server.clear()
    # Nothing at the old time; the reminder comes before the new one.
    workers_round(db, config, FIRST - timedelta(hours=23))
    assert _reminders(smtp_server) == Counter()
    workers_round(db, config, FIRST + timedelta(days=2, hours=-23))
    assert list(_reminders(smtp_server)) == [
        ("Ana <ana@example.org>", "Reminder: Tango Basics, Fri 8 Mar 2030, 18:00")
    ]


def test_a_move_after_the_reminder_is_told_once_by_the_moves_own_email(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    workers_round(db, config, FIRST - timedelta(hours=20))
    smtp_server.clear()
    _move(db, seeded.first_session, "2030-03-06", "19:30", at=FIRST - timedelta(hours=10))
    for _ in range(2):
        workers_round(db, config, FIRST - timedelta(hours=9))
    subjects = [str(m["Subject"]).split(" - ")[0] for m in smtp_server.messages]
    assert subjects == ["Class moved: Tango Basics, now Wed 6 Mar 2030, 19:30"]


def test_a_cancelled_session_gets_no_reminder(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = _config(db, smtp_server, tmp_path)
    seeded = seed_course(db)
    book(db, seeded.course_id, "Ana")
    change_session(
        db,
        session_id=seeded.first_session,
        change=SessionChange(reason="Teacher ill", cancel=True),
        actor=Actor.system(),
        now=BOOKED_AT,
    )
    workers_round(db, config, FIRST - timedelta(hours=23))
    subjects = [str(m["Subject"]).split(" - ")[0] for m in smtp_server.messages]
    assert "Class cancelled: Tango Basics, Wed 6 Mar 2030, 18:00\u201320:00" in subjects
    assert _reminders(smtp_server) == Counter()
