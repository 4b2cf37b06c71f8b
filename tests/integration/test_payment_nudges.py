"""Payment nudges: one email the setting's hours before an unpaid hold ends, with how to
pay and the reference, whatever the number of workers; none once paid or cancelled."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from domain.actors import Actor
from domain.db.database import Database
from domain.outbox.worker import send_due_emails
from domain.services.payments import cancel_registration, confirm_payment
from domain.services.settings import update_setting
from tests.factories import staff_actor
from tests.integration.reminder_seed import BOOKED_AT, book, seed_course, workers_round
from tests.smtp_fixtures import SmtpServer, mail_config, smtp_server_fixture  # noqa: F401

#: The default hold is 72 hours; the nudge is due 24 hours before it ends.
HOLD_ENDS = BOOKED_AT + timedelta(hours=72)


def _nudges(server: SmtpServer) -> list[str]:
    return [
        str(m["To"]) for m in server.messages if str(m["Subject"]).startswith("Payment reminder")
    ]


def test_four_workers_send_one_nudge_with_how_to_pay(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    update_setting(db, "zelle_phone", "555-0100", actor=Actor.system())
    seeded = seed_course(db, price="120")
    ana = book(db, seeded.course_id, "Ana")
    send_due_emails(db, config, now=BOOKED_AT)
    smtp_server.clear()

    workers_round(db, config, HOLD_ENDS - timedelta(hours=25))
    assert _nudges(smtp_server) == []
    for _ in range(3):
        workers_round(db, config, HOLD_ENDS - timedelta(hours=23))
    assert _nudges(smtp_server) == ["Ana <ana@example.org>"]
    body = smtp_server.messages[0].get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Amount due: $120.00" in text
    assert "send $120.00 to us at 555-0100" in text
    assert f"Please add this note to your payment: Rollbook #{ana}" in text
    assert "Mon 4 Mar 2030" in text or "4 March 2030" in text


def test_no_nudge_once_paid_or_cancelled(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    seeded = seed_course(db, price="120")
    ana = book(db, seeded.course_id, "Ana")
    ben = book(db, seeded.course_id, "Ben")
    book(db, seeded.course_id, "Cleo")
    confirm_payment(db, registration_id=ana, method="zelle", reference="Z1", actor=staff_actor(db))
    cancel_registration(db, registration_id=ben, reason="", actor=Actor.public(), now=BOOKED_AT)
    smtp_server.clear()
    workers_round(db, config, HOLD_ENDS - timedelta(hours=1))
    assert _nudges(smtp_server) == ["Cleo <cleo@example.org>"]


def test_no_nudge_when_the_setting_is_zero(
    db: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    config = mail_config(smtp_server, db.url.render_as_string(hide_password=False), tmp_path)
    update_setting(db, "payment_nudge_hours", "0", actor=Actor.system())
    seeded = seed_course(db, price="120")
    book(db, seeded.course_id, "Ana")
    workers_round(db, config, HOLD_ENDS - timedelta(hours=1))
    assert _nudges(smtp_server) == []
