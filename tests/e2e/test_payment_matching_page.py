"""The statement matching page in Chromium at 1280 and 375 px, with a statement read."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from domain.db import tables as t
from domain.services.settings import load_settings
from tests.e2e.conftest import LiveServer
from tests.e2e.test_admin_sweep import Sweep, demo, sweep
from tests.statement_fixtures import venmo_row, venmo_statement

__all__ = ["demo", "sweep"]


def _statement(server: LiveServer) -> str:
    r, s = t.registrations.c, t.students.c
    with server.db.read() as session:
        organisation = load_settings(session).organisation_name
        pending = session.execute(
            select(r.id, r.amount_due, s.first_name, s.last_name)
            .join(t.students, s.id == r.student_id)
            .where(r.payment_status == "pending", r.cancelled_at.is_(None))
            .order_by(r.id)
            .limit(2)
        ).all()
    (first_id, first_due, *_), (_, second_due, first_name, last_name) = pending
    return venmo_statement(
        venmo_row(
            "3240312810181230868",
            "2026-11-03T18:43:08",
            f"+ ${first_due:,}",
            note=f"{organisation} #{first_id} Salsa Foundations - 8-week series",
        ),
        venmo_row(
            "3240312810181230869",
            "2026-11-04T09:00:00",
            f"+ ${second_due:,}",
            sender=f"{first_name} {last_name}",
        ),
        venmo_row("3240312810181230870", "2026-11-05T09:00:00", "- $20.00", note="Rent"),
        venmo_row(
            "3240312810181230871",
            "2026-11-06T09:00:00",
            "+ $1,250.00",
            sender="Someone With A Rather Long Name Indeed",
            note="for the hall rental deposit and the sound system, thanks a lot",
        ),
    )


def test_a_read_statement_and_its_confirmation_fit_the_window_in_words(
    sweep: Sweep, demo: LiveServer, tmp_path: Path
) -> None:
    upload = tmp_path / "venmo.csv"
    upload.write_text(_statement(demo))
    path = "/admin/payments/match/"
    sweep.page.goto(sweep.base + path)
    sweep.page.set_input_files("#statement", str(upload))
    sweep.page.click("#upload-form button[type=submit]")
    sweep.page.wait_for_selector("#matching-form")
    sweep.check_shown(path + " (proposals)")
    assert sweep.page.locator("#group-exact input[name=pick]:checked").count() == 1
    assert sweep.page.locator("#group-needs_a_click input[name=pick]").count() == 1
    sweep.page.click("#matching-form button[type=submit]")
    sweep.page.wait_for_selector("#matching-outcomes")
    sweep.check_shown(path + " (confirmed)")
    assert sweep.page.locator('[data-outcome="confirmed"]').count() == 1
    sweep.assert_clean()
